INSERT INTO r.skus VALUES ('c', 5000000000)
;;
INSERT INTO r.orders VALUES ('2024-01-02 10:00:00', 'a', 3), ('2024-01-02 11:00:00', 'c', 2)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
SELECT 'revenue', * FROM r.revenue FINAL ORDER BY day
;;
