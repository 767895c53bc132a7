INSERT INTO s.t (a, d) VALUES (1, 'x')
;;
SELECT a, b, c, d, e FROM s.t ORDER BY a
;;
