WITH RECURSIVE tree AS (
    SELECT id, parent_id, 0 AS depth FROM nodes WHERE parent_id = 0
    UNION ALL
    SELECT n.id, n.parent_id, t.depth + 1 FROM nodes AS n JOIN tree AS t ON n.parent_id = t.id
)
SELECT id, depth FROM tree ORDER BY depth, id
