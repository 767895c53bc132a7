INSERT INTO bf.orders VALUES ('2024-01-01 00:00:00', 'a', 1), ('2024-01-01 00:00:01', 'free', 5)
;;
SELECT count() FROM bf.orders
