INSERT INTO r.orders VALUES ('2024-01-01 00:00:00', 'a', 4294967295)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
