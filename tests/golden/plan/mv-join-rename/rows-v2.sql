INSERT INTO w.orders VALUES ('2026-01-02 00:00:01', 'b', 2), ('2026-01-02 00:00:02', 'a', 5), ('2026-01-02 00:00:03', 'd', 1);
INSERT INTO w.returns VALUES ('2026-01-02 00:00:04', 'a', 'y');
SELECT * FROM w.lines ORDER BY ts FORMAT TSV;
SELECT * FROM w.returned ORDER BY ts FORMAT TSV;
