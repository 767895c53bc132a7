INSERT INTO w.skus VALUES ('c', 6000000000);
INSERT INTO w.orders VALUES ('2026-01-02 00:00:01', 'c', 3), ('2026-01-02 00:00:02', 'a', 5), ('2026-01-02 00:00:03', 'b', 1);
INSERT INTO w.memos VALUES ('2026-01-02 00:00:01', 'b', 'three'), ('2026-01-02 00:00:02', 'x', 'four');
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
SELECT * FROM w.notes ORDER BY ts FORMAT TSV;
