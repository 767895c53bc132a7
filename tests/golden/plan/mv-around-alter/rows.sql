INSERT INTO p.payments VALUES ('2024-01-01 10:00:00', 7, 4000000000, 300), ('2024-01-01 11:00:00', 7, 1, 2)
;;
SELECT merchant, sum(amount), sum(fees) FROM p.merchant_totals GROUP BY merchant
;;
SELECT day, sum(n) FROM p.daily GROUP BY day
;;
SELECT name, type FROM system.columns WHERE database = 'p' AND table IN ('payments', 'merchant_totals') ORDER BY table, position
;;
