INSERT INTO w.users VALUES (1, 'ann'), (2, 'bob');
INSERT INTO w.orders VALUES ('2026-01-01 00:00:01', 1, 2, 7), ('2026-01-01 00:00:02', 2, 3, 5);
SELECT * FROM w.sales ORDER BY ts FORMAT TSV;
