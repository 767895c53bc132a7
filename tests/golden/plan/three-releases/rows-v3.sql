INSERT INTO shop.orders (id, user_id, amount, country) VALUES (5, 1, 7, 'DE')
;;
SELECT uid, sum(total), sum(orders) FROM shop.totals GROUP BY uid ORDER BY uid
;;
SELECT * FROM shop.big_orders ORDER BY id
;;
SELECT name, type, comment FROM system.columns WHERE database = 'shop' AND table = 'orders' ORDER BY position
;;
