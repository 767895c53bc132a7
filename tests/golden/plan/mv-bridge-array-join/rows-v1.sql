INSERT INTO w.skus VALUES ('a', 3), ('b', 5);
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 2, ['x', 'y']), ('2026-01-01 00:00:02', 'b', 1, []);
SELECT * FROM w.tagged ORDER BY ts, tag FORMAT TSV;
SELECT * FROM w.priced ORDER BY ts, tag FORMAT TSV;
