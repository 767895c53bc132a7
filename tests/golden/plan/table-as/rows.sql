INSERT INTO tas.copy (ts) VALUES ('2026-01-01 00:00:00')
;;
INSERT INTO tas.mem (ts, b) VALUES ('2026-01-01 00:00:00', 'm')
;;
INSERT INTO tas.kept_mem VALUES ('2026-01-01 00:00:00', 1)
;;
SELECT name, create_table_query FROM system.tables WHERE database = 'tas' ORDER BY name
;;
