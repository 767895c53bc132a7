INSERT INTO mw.hits VALUES ('2024-01-01 10:00:00', '/a', 7)
;;
SELECT 'stats', * FROM mw.stats ORDER BY url
;;
SELECT 'small', * FROM mw.small ORDER BY url
;;
SELECT 'signed', * FROM mw.signed ORDER BY url
;;
