INSERT INTO r.orders (ts, sku, a, b) VALUES ('2024-01-01 00:00:13', 'c', 9223372036854775807, -9223372036854775808), ('2024-01-01 00:00:14', 'd', 2147483648, -2147483649)
;;
INSERT INTO r.sales (ts, q, p) VALUES ('2024-01-01 00:00:14', 4294967295, 9999999.99), ('2024-01-01 00:00:15', 0, -9999999.99), ('2024-01-01 00:00:16', 7, 0.01)
;;
SELECT 'tallies', ts, sku, a, b, toTypeName(a), toTypeName(b) FROM r.tallies ORDER BY ts
;;
SELECT 'sums', ts, ab FROM r.sums ORDER BY ts
;;
SELECT 'ledger', ts, q, p, toTypeName(q), toTypeName(p) FROM r.ledger ORDER BY ts
;;
SELECT 'tallies = its query over orders', (SELECT count() FROM (SELECT ts, sku, a, b FROM r.orders EXCEPT SELECT ts, sku, a, b FROM r.tallies)), (SELECT count() FROM (SELECT ts, sku, a, b FROM r.tallies EXCEPT SELECT ts, sku, a, b FROM r.orders)), (SELECT count() FROM r.orders), (SELECT count() FROM r.tallies)
;;
SELECT 'ledger = its query over sales', (SELECT count() FROM (SELECT ts, q, p FROM r.sales EXCEPT SELECT ts, q, p FROM r.ledger)), (SELECT count() FROM (SELECT ts, q, p FROM r.ledger EXCEPT SELECT ts, q, p FROM r.sales)), (SELECT count() FROM r.sales), (SELECT count() FROM r.ledger)
;;
