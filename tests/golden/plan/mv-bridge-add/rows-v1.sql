INSERT INTO r.orders (ts, sku, qty) VALUES ('2024-01-01 10:00:00', 'a', 4294967295), ('2024-01-01 11:00:00', 'x', 2)
;;
INSERT INTO r.returns (ts, sku, qty) VALUES ('2024-01-01 10:00:00', 'a', 3)
;;
SELECT 'lines', * FROM r.lines ORDER BY ts
;;
SELECT 'refunds', * FROM r.refunds ORDER BY ts
;;
