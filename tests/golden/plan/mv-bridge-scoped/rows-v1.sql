INSERT INTO w.allowed VALUES ('a'), ('b');
INSERT INTO w.skus VALUES ('a', 3), ('b', 5);
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 2, [1, 2]), ('2026-01-01 00:00:02', 'c', 1, [4]);
SELECT * FROM w.lines ORDER BY ts FORMAT TSV;
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
