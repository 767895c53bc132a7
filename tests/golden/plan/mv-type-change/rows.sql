INSERT INTO a.events (ts, k, x, price) VALUES ('2024-01-01 00:00:00', 'a', 5000000, 10.25), ('2024-01-01 00:00:01', 'b', 7, 1.5)
;;
SELECT ts, k, v, price, toTypeName(v), toTypeName(price) FROM a.items ORDER BY ts, k, v
;;
