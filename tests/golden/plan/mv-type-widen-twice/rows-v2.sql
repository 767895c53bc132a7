INSERT INTO r.orders VALUES ('2024-01-02 00:00:00', 'a', 8589934590)
;;
SELECT 'sold', * FROM r.sold ORDER BY ts
;;
