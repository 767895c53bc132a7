INSERT INTO m.latency VALUES ('2026-01-01 10:00:01', 10), ('2026-01-01 10:00:02', 30), ('2026-01-01 10:00:03', 20)
;;
SELECT minute, quantileMerge(0.5)(p50), quantilesMerge(0.5, 0.99, 1)(p99), topKMerge(10)(top) FROM m.latency_minute GROUP BY minute
