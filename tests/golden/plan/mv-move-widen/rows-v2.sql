INSERT INTO mw.hits VALUES ('2024-01-02 10:00:00', '/b', 8)
;;
INSERT INTO mw.hits2 VALUES ('2024-01-02 11:00:00', '/c', 9)
;;
SELECT 'stats', * FROM mw.stats ORDER BY url
;;
SELECT 'small', * FROM mw.small ORDER BY url
;;
SELECT 'signed', * FROM mw.signed ORDER BY url
;;
