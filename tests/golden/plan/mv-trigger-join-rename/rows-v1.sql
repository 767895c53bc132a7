INSERT INTO w.products VALUES ('a', 'apple', 3), ('b', 'bean', 5);
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 2, 'x'), ('2026-01-01 00:00:02', 'c', 1, 'y');
SELECT * FROM w.lines ORDER BY ts FORMAT TSV;
