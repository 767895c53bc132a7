INSERT INTO web.events (ts, user_id, url) VALUES ('2024-01-01 00:00:00', 1, '/a'), ('2024-01-01 00:00:01', 2, '/b')
;;
SELECT url, sum(hits) FROM web.url_hits GROUP BY url ORDER BY url
;;
