INSERT INTO a.hits (ts, url, bytes, user_id) VALUES ('2024-01-01 00:00:00', '/a', 100, 1), ('2024-01-01 00:00:01', '/a', 10, 2)
;;
SELECT url, sum(hits), sum(bytes), uniqMerge(visitors) FROM a.url_stats GROUP BY url ORDER BY url
;;
