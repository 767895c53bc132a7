INSERT INTO a.hits (ts, url, user_id) VALUES ('2024-01-01 00:00:00', '/a', 3), ('2024-01-01 00:00:01', '/c', 1)
;;
SELECT url, sum(hits), uniqMerge(visitors) FROM a.url_stats GROUP BY url ORDER BY url
;;
