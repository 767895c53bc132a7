INSERT INTO a.events (id) VALUES (3)
;;
SELECT * FROM a.events ORDER BY id
