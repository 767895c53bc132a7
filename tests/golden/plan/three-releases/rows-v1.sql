INSERT INTO shop.orders (id, uid, amount, legacy) VALUES (1, 1, 50, 'old'), (2, 1, 500, ''), (3, 2, 4000000000, '')
;;
SELECT uid, sum(total) FROM shop.totals GROUP BY uid ORDER BY uid
;;
SELECT * FROM shop.big_orders ORDER BY id
;;
