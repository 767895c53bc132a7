INSERT INTO a.events (id) VALUES (4)
;;
SELECT * FROM a.events ORDER BY id
