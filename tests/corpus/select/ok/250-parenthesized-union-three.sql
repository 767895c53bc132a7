(SELECT 'a' AS src, count() AS n FROM events_a)
UNION ALL
(SELECT 'b' AS src, count() AS n FROM events_b)
UNION ALL
(SELECT 'c' AS src, count() AS n FROM events_c WHERE ts >= today())
