INSERT INTO r.events (ts, user_id, amount, kind, score, price, code, rate) VALUES ('2024-01-02 10:00:00', 4294967296, 2147483648, 'buy', 2.2, 3.14, 4294967295, 3), ('2024-01-02 11:00:00', 4294967296, -5, 'buy', -0.25, 0, 0, 0), ('2024-01-02 12:00:00', 4294967296, 9, 'test', 7, 9999999.99, 12, -4)
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
