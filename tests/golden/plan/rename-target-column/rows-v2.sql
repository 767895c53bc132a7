INSERT INTO r.orders VALUES ('2024-01-02 00:00:00', 'a', 4, 10), ('2024-01-02 00:00:01', 'c', 8, 30)
;;
SELECT sku, sum(total) FROM r.sold GROUP BY sku ORDER BY sku
;;
SELECT sku, sumMerge(gross) FROM r.revenue GROUP BY sku ORDER BY sku
