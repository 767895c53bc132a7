INSERT INTO a.events VALUES ('2024-01-01 00:00:00', 'x')
;;
SELECT count() FROM a.events
;;
SELECT name FROM system.tables WHERE database = 'a' ORDER BY name
;;
