INSERT INTO a.orders VALUES (1, 500, 'open'), (2, 50, 'open'), (3, 700, 'OPEN')
;;
SELECT * FROM a.open_orders ORDER BY id
;;
SELECT * FROM a.big_open_orders ORDER BY id
;;
