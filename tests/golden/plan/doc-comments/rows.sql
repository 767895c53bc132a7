INSERT INTO docs.events (ts, user, amount) VALUES ('2024-05-01 10:00:00', 1, 2.5)
;;
SELECT day, total FROM docs.daily FINAL ORDER BY day
;;
SELECT table, name, comment FROM system.columns WHERE database = 'docs' ORDER BY table, position
;;
SELECT name, comment FROM system.tables WHERE database = 'docs' ORDER BY name
;;
