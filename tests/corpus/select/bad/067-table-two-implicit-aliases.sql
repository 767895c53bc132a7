-- expect: 2:32
SELECT e.user_id FROM events e ev WHERE e.ts > today()
