INSERT INTO c.items (id) VALUES (1)
;;
SELECT id, status, region, doubled, tripled, next_id, prev_id FROM c.items ORDER BY id
;;
