INSERT INTO a.hits (ts, url, sent) VALUES ('2024-01-03 00:00:00', '/a', 1000), ('2024-01-03 00:00:01', '/d', 5)
;;
SELECT url, sum(hits), sum(size) FROM a.url_stats GROUP BY url ORDER BY url
