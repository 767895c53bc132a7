INSERT INTO r.orders VALUES ('2024-01-03 10:00:00', 'a', 3), ('2024-01-03 11:00:00', 'x', 2)
;;
SELECT 'lines', * FROM r.lines ORDER BY ts
;;
SELECT 'daily', * FROM r.daily FINAL ORDER BY day
;;
