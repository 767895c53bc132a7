INSERT INTO w.skus (sku, price) VALUES ('d', 6000000000);
INSERT INTO w.orders VALUES ('2026-01-02 00:00:01', 'd', 3000000000), ('2026-01-02 00:00:02', 'a', 5), ('2026-01-02 00:00:03', 'b', 1);
INSERT INTO w.rebates (ts, sku, qty) VALUES ('2026-01-02 00:00:01', 'd', 3);
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
SELECT * FROM w.rebated ORDER BY ts FORMAT TSV;
