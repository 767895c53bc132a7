INSERT INTO r.skus VALUES ('a', 3), ('b', 4000000000)
;;
INSERT INTO r.orders VALUES ('2024-01-01 10:00:00', 'a', 3), ('2024-01-01 11:00:00', 'b', 2)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
SELECT 'revenue', * FROM r.revenue FINAL ORDER BY day
;;
