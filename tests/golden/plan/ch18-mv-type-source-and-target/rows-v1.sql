INSERT INTO r.orders (ts, sku, qty) VALUES ('2024-01-01 00:00:00', 'a', 4000000000)
;;
SELECT ts, sku, qty, toTypeName(qty) FROM r.sums ORDER BY ts, sku, qty
;;
