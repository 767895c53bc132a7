INSERT INTO r.events (ts, url, n) VALUES ('2024-01-01 10:00:00', '/a', 1), ('2024-01-01 11:00:00', '/b', 4294967295)
;;
SELECT 'doubled', ts, url, n FROM r.doubled ORDER BY ts
;;
