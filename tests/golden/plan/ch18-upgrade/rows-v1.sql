INSERT INTO old.hits (date, ts, url, legacy, status) VALUES ('2024-01-01', '2024-01-01 00:00:00', '/a', 'x', 200), ('2024-01-01', '2024-01-01 00:00:01', '/a', 'y', 404)
;;
SELECT url, sum(hits) FROM old.url_hits GROUP BY url ORDER BY url
;;
SELECT * FROM old.ok_hits ORDER BY url
;;
