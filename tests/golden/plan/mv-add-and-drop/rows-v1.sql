INSERT INTO a.hits (ts, url, bytes) VALUES ('2024-01-01 00:00:00', '/a', 100), ('2024-01-01 00:00:01', '/b', 10)
;;
SELECT url, sum(hits), sum(bytes) FROM a.url_stats GROUP BY url ORDER BY url
