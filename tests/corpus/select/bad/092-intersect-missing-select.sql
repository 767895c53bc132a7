-- expect: 3:1
SELECT user_id FROM events
INTERSECT
FROM banned
