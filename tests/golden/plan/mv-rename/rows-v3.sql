INSERT INTO r.orders VALUES ('2024-01-03 10:00:00', 'a', 3), ('2024-01-03 11:00:00', 'x', 2)
;;
SELECT 'daily', * FROM r.daily FINAL ORDER BY day
;;
SELECT 'by_sku', * FROM r.by_sku FINAL ORDER BY sku
;;
SELECT 'mvs', name FROM system.tables WHERE database = 'r' AND engine = 'MaterializedView' ORDER BY name
;;
