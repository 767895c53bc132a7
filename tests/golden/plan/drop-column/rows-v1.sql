INSERT INTO shop.orders (id, legacy_ref, amount) VALUES (1, 'x', 10), (2, 'y', 20)
;;
SELECT day, sum(amount) FROM shop.order_sums GROUP BY day
;;
