INSERT INTO j.skus VALUES ('c', 3, 5000000000), ('d', 4, 11)
;;
INSERT INTO j.orders VALUES ('2024-01-02 10:00:00', 'c', 3, 2), ('2024-01-02 11:00:00', 'd', 4, 1)
;;
SELECT 'bare', * FROM j.bare_t ORDER BY ts
;;
SELECT 'key', * FROM j.key_t ORDER BY ts
;;
SELECT 'using', * FROM j.using_t ORDER BY ts
;;
SELECT 'left', * FROM j.left_t ORDER BY ts
;;
SELECT 'noalias', * FROM j.noalias_t ORDER BY ts
;;
