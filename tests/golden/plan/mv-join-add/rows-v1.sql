INSERT INTO w.skus VALUES ('a', 3), ('b', 5);
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 2), ('2026-01-01 00:00:02', 'c', 1);
INSERT INTO w.rebates VALUES ('2026-01-01 00:00:01', 'b', 40);
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
SELECT * FROM w.rebated ORDER BY ts FORMAT TSV;
