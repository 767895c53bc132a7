INSERT INTO w.skus VALUES ('a', 2), ('b', 3);
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 3), ('2026-01-01 00:00:02', 'b', 5);
INSERT INTO w.events VALUES ('2026-01-01 00:00:01', 7, 'hit'), ('2026-01-01 00:00:02', 8, 'miss');
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
SELECT * FROM w.hits ORDER BY ts FORMAT TSV;
