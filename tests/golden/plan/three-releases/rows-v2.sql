INSERT INTO shop.orders (id, uid, amount, country) VALUES (4, 2, 5000000000, 'NL')
;;
SELECT uid, sum(total) FROM shop.totals GROUP BY uid ORDER BY uid
;;
SELECT * FROM shop.big_orders ORDER BY id
;;
