INSERT INTO a.hits (ts, url) VALUES ('2024-01-01 00:00:00', '/a'), ('2024-01-02 00:00:01', '/bb')
;;
SELECT 'url_totals', url, sum(hits), sum(bytes) FROM a.url_totals GROUP BY url ORDER BY url
;;
