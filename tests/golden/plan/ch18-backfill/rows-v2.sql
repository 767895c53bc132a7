SELECT sku, sum(qty) FROM bf.sold GROUP BY sku ORDER BY sku
;;
INSERT INTO bf.orders VALUES ('2024-01-02 00:00:00', 'a', 2), ('2024-01-02 00:00:01', 'b', 3)
;;
SELECT sku, sum(qty) FROM bf.sold GROUP BY sku ORDER BY sku
