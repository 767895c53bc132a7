INSERT INTO j.skus VALUES ('a', 1, 7), ('b', 2, 9)
;;
INSERT INTO j.orders VALUES ('2024-01-01 10:00:00', 'a', 1, 1), ('2024-01-01 11:00:00', 'b', 2, 3)
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
SELECT 'disc', * FROM j.disc_t ORDER BY ts
;;
