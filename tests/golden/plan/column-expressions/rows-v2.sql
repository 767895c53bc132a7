INSERT INTO c.items (id) VALUES (2)
;;
SELECT id, status, region, doubled, tripled, next_id, prev_id FROM c.items ORDER BY id
;;
SELECT name, default_kind, default_expression FROM system.columns WHERE database = 'c' AND table = 'items' ORDER BY position
;;
