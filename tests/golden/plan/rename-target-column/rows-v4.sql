INSERT INTO r.orders VALUES ('2024-01-04 00:00:00', 'a', 32, 10)
;;
SELECT sku, sum(items) FROM r.sold GROUP BY sku ORDER BY sku
;;
SELECT sku, sumMerge(gross) FROM r.revenue GROUP BY sku ORDER BY sku
