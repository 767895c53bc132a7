INSERT INTO r.events VALUES ('2024-01-01 10:00:00', 'a', NULL, NULL), ('2024-01-01 11:00:00', 'a', 5, 'n'), ('2024-01-01 12:00:00', 'test', 7, '')
;;
SELECT 'totals', * FROM r.totals FINAL ORDER BY kind
;;
SELECT 'events', * FROM r.events ORDER BY ts
;;
