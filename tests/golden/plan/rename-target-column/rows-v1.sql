INSERT INTO r.orders VALUES ('2024-01-01 00:00:00', 'a', 1, 10), ('2024-01-01 00:00:01', 'b', 2, 20)
;;
SELECT sku, sum(qty) FROM r.sold GROUP BY sku ORDER BY sku
;;
SELECT sku, sumMerge(revenue) FROM r.revenue GROUP BY sku ORDER BY sku
