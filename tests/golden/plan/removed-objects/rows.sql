INSERT INTO a.events VALUES ('2024-01-01 00:00:00', 'x'), ('2024-01-01 00:00:00', 'y'), ('2024-01-01 00:00:00', 'y')
;;
SELECT kind, sum(n) FROM a.kinds GROUP BY kind ORDER BY kind
;;
SELECT name, engine FROM system.tables WHERE database = 'a' ORDER BY name
;;
SELECT count() FROM system.functions WHERE name = 'pct'
;;
