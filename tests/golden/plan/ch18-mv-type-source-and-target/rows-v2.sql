INSERT INTO r.orders (ts, sku, qty) VALUES ('2024-01-01 00:00:01', 'b', 5000000000)
;;
SELECT ts, sku, qty, toTypeName(qty) FROM r.sums ORDER BY ts, sku, qty
;;
