INSERT INTO shop.orders (id, user_id, amount) SELECT number, number % 3, number * 10 FROM numbers(30)
;;
SELECT count(), sum(amount) FROM shop.orders
;;
