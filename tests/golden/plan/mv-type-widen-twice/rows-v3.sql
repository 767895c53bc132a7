INSERT INTO r.orders VALUES ('2024-01-03 00:00:00', 'a', -5)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
