INSERT INTO old.hits (date, ts, url, status, bytes) VALUES ('2024-01-02', '2024-01-02 00:00:00', '/a', 200, 100), ('2024-01-02', '2024-01-02 00:00:01', '/b', 70000, 5)
;;
SELECT url, sum(hits), sum(bytes) FROM old.url_hits GROUP BY url ORDER BY url
;;
SELECT * FROM old.ok_hits ORDER BY url
;;
SELECT name, type, comment FROM system.columns WHERE database = 'old' AND table = 'hits'
;;
SELECT name, engine FROM system.tables WHERE database = 'old' ORDER BY name
;;
