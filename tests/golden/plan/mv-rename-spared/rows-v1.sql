INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 7, 'n1', 1), ('2026-01-01 00:00:02', 'x', 9, 'n2', 2);
INSERT INTO w.events VALUES ('2026-01-01 00:00:01', 'click', 3, 't');
SELECT * FROM w.lines ORDER BY ts FORMAT TSV;
SELECT * FROM w.sums ORDER BY ts FORMAT TSV;
