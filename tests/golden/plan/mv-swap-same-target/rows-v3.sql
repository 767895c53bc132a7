INSERT INTO a.hits (ts, url) VALUES ('2024-01-03 00:00:00', '/a'), ('2024-01-04 00:00:01', '/bb')
;;
SELECT 'url_totals', url, sum(hits) FROM a.url_totals GROUP BY url ORDER BY url
;;
