INSERT INTO w.orders VALUES ('2024-01-01 10:00:00', 'a', 4294967295), ('2024-01-01 11:00:00', 'x', 7)
;;
SELECT 'lines', * FROM w.lines ORDER BY ts
;;
SELECT 'big', * FROM w.big ORDER BY ts
;;
