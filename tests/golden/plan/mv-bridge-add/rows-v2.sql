INSERT INTO r.orders (ts, sku, amount) VALUES ('2024-01-02 10:00:00', 'b', 4294967296), ('2024-01-02 11:00:00', 'x', 2)
;;
INSERT INTO r.returns (ts, sku, amount) VALUES ('2024-01-02 10:00:00', 'b', 5)
;;
SELECT 'lines', * FROM r.lines ORDER BY ts
;;
SELECT 'orders', ts, sku, amount, region FROM r.orders ORDER BY ts
;;
SELECT 'refunds', * FROM r.refunds ORDER BY ts
;;
