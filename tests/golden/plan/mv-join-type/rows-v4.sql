INSERT INTO r.skus VALUES ('e', 9)
;;
INSERT INTO r.orders VALUES ('2024-01-04 10:00:00', 'e', 4), ('2024-01-04 11:00:00', 'c', 2)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
SELECT 'revenue', * FROM r.revenue FINAL ORDER BY day
;;
