INSERT INTO j.skus (sku, code, price, discount) VALUES ('c', 3, 5000000000, 1), ('d', 4, 11, 0)
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
SELECT 'disc', * FROM j.disc_t ORDER BY ts
;;
