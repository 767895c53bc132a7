SELECT sku, sum(qty) FROM bf.sold GROUP BY sku ORDER BY sku
;;
INSERT INTO bf.orders VALUES ('2024-01-03 00:00:00', 'b', 4), ('2024-01-03 00:00:01', 'free', 6)
;;
SELECT sku, sum(qty) FROM bf.sold GROUP BY sku ORDER BY sku
