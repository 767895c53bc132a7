INSERT INTO r.orders (ts, sku, a, b) VALUES ('2024-01-01 00:00:01', 'a', 2147483647, -2147483648), ('2024-01-01 00:00:02', 'b', -2147483648, 2147483647)
;;
INSERT INTO r.sales (ts, q, p) VALUES ('2024-01-01 00:00:01', 4294967295, 9999999.99), ('2024-01-01 00:00:02', 4294967296, -9999999.99), ('2024-01-01 00:00:03', 18446744073709551615, 0.0001)
;;
SELECT 'tallies', ts, sku, a, b, toTypeName(a), toTypeName(b) FROM r.tallies ORDER BY ts
;;
SELECT 'sums', ts, ab FROM r.sums ORDER BY ts
;;
SELECT 'ledger', ts, q, p, toTypeName(q), toTypeName(p) FROM r.ledger ORDER BY ts
;;
