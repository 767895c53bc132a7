INSERT INTO r.orders (ts, sku, amount) VALUES ('2024-01-03 10:00:00', 'c', 4294967296), ('2024-01-03 11:00:00', 'x', 2)
;;
INSERT INTO r.returns (ts, sku, amount) VALUES ('2024-01-03 10:00:00', 'c', 5)
;;
SELECT 'lines', * FROM r.lines ORDER BY ts
;;
SELECT 'orders', ts, sku, amount, region FROM r.orders ORDER BY ts
;;
SELECT 'refunds', * FROM r.refunds ORDER BY ts
;;
