-- expect: 2:32
SELECT * FROM events LIMIT 100 WHERE event_type = 'purchase'
