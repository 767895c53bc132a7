INSERT INTO r.orders VALUES ('2024-01-03 00:00:00', 'a', 16, 10)
;;
SELECT sku, sum(units), sum(lines) FROM r.sold GROUP BY sku ORDER BY sku
;;
SELECT sku, sumMerge(gross) FROM r.revenue GROUP BY sku ORDER BY sku
