INSERT INTO w.skus VALUES ('a', 'apple', 3), ('b', 'bean', 5);
INSERT INTO w.regions VALUES (1, 'north'), (2, 'south');
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 'a', 1, 2), ('2026-01-01 00:00:02', 'c', 3, 1);
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
