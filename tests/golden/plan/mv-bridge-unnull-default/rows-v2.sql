INSERT INTO r.events VALUES ('2024-01-02 10:00:00', 'a', 5000000003, 'm'), ('2024-01-02 11:00:00', 'b', -7, ''), ('2024-01-02 12:00:00', 'test', 7, 'x')
;;
SELECT 'totals', * FROM r.totals FINAL ORDER BY kind
;;
SELECT 'events', * FROM r.events ORDER BY ts
;;
