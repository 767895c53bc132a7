-- expect: 4:1
SELECT user_id FROM events
INTERSECT
FROM banned
