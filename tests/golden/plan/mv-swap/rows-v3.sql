INSERT INTO a.hits (ts, url) VALUES ('2024-01-01 00:00:00', '/a'), ('2024-01-02 00:00:01', '/b')
;;
INSERT INTO a.hits2 (ts, url, bytes) VALUES ('2024-01-03 00:00:00', '/a', 100)
;;
SELECT 'url_hits', url, sum(hits) FROM a.url_hits GROUP BY url ORDER BY url
;;
SELECT 'url_totals', url, sum(hits), sum(bytes) FROM a.url_totals GROUP BY url ORDER BY url
;;
SELECT 'url_bytes', url, sum(hits), sum(bytes) FROM a.url_bytes GROUP BY url ORDER BY url
;;
