INSERT INTO s.t (a) VALUES (5)
;;
SELECT a, b, c FROM s.t ORDER BY a
;;
