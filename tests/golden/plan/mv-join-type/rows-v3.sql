INSERT INTO r.skus VALUES ('d', 7)
;;
INSERT INTO r.orders VALUES ('2024-01-03 10:00:00', 'd', 3), ('2024-01-03 11:00:00', 'c', 2)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
SELECT 'revenue', * FROM r.revenue FINAL ORDER BY day
;;
