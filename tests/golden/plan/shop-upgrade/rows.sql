INSERT INTO shop.orders (id, amount, note) SELECT number, number * 10, 'x' FROM numbers(20)
;;
SELECT uid, sumMerge(total) FROM shop.totals GROUP BY uid ORDER BY uid
;;
SELECT count() FROM shop.orders
;;
