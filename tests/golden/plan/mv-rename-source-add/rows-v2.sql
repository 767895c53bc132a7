INSERT INTO r.orders (ts, sku, qty, price) VALUES ('2024-01-02 00:00:00', 'a', 2, 10)
;;
SELECT 'sold', sku, sum(total) FROM r.sold GROUP BY sku ORDER BY sku
;;
