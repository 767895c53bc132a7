INSERT INTO r.events (ts, user_id, amount, kind, score, price, code, rate) VALUES ('2024-01-01 10:00:00', 4294967295, 2147483647, 'buy', 1.1, 12.3456, '4294967297', 2.5), ('2024-01-01 11:00:00', 4294967295, -5, 'test', 0.5, -1, '007', -0.5), ('2024-01-01 12:00:00', 7, 3, 'buy', 1e300, 9999999.9999, '+5', 0)
;;
SELECT 'daily', day, user_id, total, n FROM r.daily FINAL ORDER BY day, user_id
;;
SELECT 'raw', ts, amount, toTypeName(amount) FROM r.raw ORDER BY ts
;;
SELECT 'scores', ts, score FROM r.scores ORDER BY ts
;;
SELECT 'prices', ts, price, code FROM r.prices ORDER BY ts
;;
SELECT 'rates', ts, rate FROM r.rates ORDER BY ts
;;
