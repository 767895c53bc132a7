INSERT INTO w.skus (sku, price) VALUES ('e', 6);
INSERT INTO w.orders VALUES ('2026-01-03 00:00:01', 'e', 2), ('2026-01-03 00:00:02', 'a', 5), ('2026-01-03 00:00:03', 'b', 1);
INSERT INTO w.rebates (ts, sku, qty) VALUES ('2026-01-03 00:00:01', 'e', 50);
SELECT * FROM w.sold ORDER BY ts FORMAT TSV;
SELECT * FROM w.rebated ORDER BY ts FORMAT TSV;
