INSERT INTO r.events (ts, url, n) VALUES ('2024-01-02 10:00:00', '/c', 1), ('2024-01-02 11:00:00', '/d', 2), ('2024-01-02 12:00:00', '/e', 4294967296)
;;
SELECT 'doubled', ts, url, n FROM r.doubled ORDER BY ts
;;
