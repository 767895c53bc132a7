-- expect: 5:1
SELECT e.user_id, u.country
FROM events AS e
LEFT JOIN users AS u
WHERE e.ts > today()
