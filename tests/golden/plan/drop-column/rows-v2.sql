INSERT INTO shop.orders (id, amount) VALUES (3, 30)
;;
SELECT day, sum(amount) FROM shop.order_sums GROUP BY day
;;
SELECT * FROM shop.orders ORDER BY id
;;
