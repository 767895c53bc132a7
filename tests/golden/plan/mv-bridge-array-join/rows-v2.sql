INSERT INTO w.skus VALUES ('d', 6000000000);
INSERT INTO w.orders VALUES ('2026-01-02 00:00:01', 'd', 3000000000, ['p', 'q']), ('2026-01-02 00:00:02', 'a', 5, ['r']), ('2026-01-02 00:00:03', 'b', 1, []);
SELECT * FROM w.tagged ORDER BY ts, tag FORMAT TSV;
SELECT * FROM w.priced ORDER BY ts, tag FORMAT TSV;
