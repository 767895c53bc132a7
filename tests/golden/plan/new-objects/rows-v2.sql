INSERT INTO shop.orders (id, user_id, amount) SELECT number, number % 3, number * 10 FROM numbers(30)
;;
SELECT count(), sum(amount) FROM shop.orders
;;
SELECT user_id, cents FROM shop.user_totals FINAL ORDER BY user_id
;;
SELECT user_id, cents FROM shop.big_spenders ORDER BY user_id
;;
INSERT INTO archive.orders_2019 (id, amount) VALUES (1, 5)
;;
SELECT count() FROM archive.orders_2019
;;
