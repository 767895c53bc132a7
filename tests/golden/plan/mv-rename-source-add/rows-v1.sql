INSERT INTO r.orders (ts, sku, qty) VALUES ('2024-01-01 00:00:00', 'a', 2), ('2024-01-01 00:00:01', 'b', 3)
;;
SELECT 'sold', sku, sum(qty) FROM r.sold GROUP BY sku ORDER BY sku
;;
