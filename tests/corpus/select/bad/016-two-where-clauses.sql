-- expect: 5:1
SELECT user_id
FROM events
WHERE ts > now() - INTERVAL 1 DAY
WHERE country = 'US'
