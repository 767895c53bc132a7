SELECT toStartOfWeek(ts) AS wk, count() FROM orders WHERE ts > now() - INTERVAL 2 QUARTER AND ts < now() - INTERVAL 1 WEEK GROUP BY wk
