INSERT INTO r.events (ts, user_id, amount, kind) VALUES ('2024-01-01 10:00:00', 4294967295, 2147483647, 'buy'), ('2024-01-01 11:00:00', 4294967295, -5, 'test'), ('2024-01-01 12:00:00', 7, 3, 'buy')
;;
SELECT 'daily', day, user_id, total, n FROM r.daily FINAL ORDER BY day, user_id
;;
SELECT 'raw', ts, amount, toTypeName(amount) FROM r.raw ORDER BY ts
;;
