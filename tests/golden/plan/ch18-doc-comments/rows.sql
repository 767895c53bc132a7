INSERT INTO docs18.events (ts, user, amount) VALUES ('2024-05-01 10:00:00', 1, 2.5)
;;
SELECT count() FROM docs18.events
;;
SELECT table, name, comment FROM system.columns WHERE database = 'docs18' ORDER BY table, name
;;
