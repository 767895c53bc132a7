INSERT INTO s.sales VALUES ('2024-01-01', 'a', 5), ('2024-01-01', 'a', 7)
;;
INSERT INTO s.stock VALUES ('x', 1)
;;
SELECT day, shop, sum(amount) FROM s.sales GROUP BY day, shop ORDER BY day, shop
;;
