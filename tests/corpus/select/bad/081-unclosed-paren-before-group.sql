-- expect: 2:56
SELECT count() FROM events WHERE (event_type = 'click' GROUP BY user_id
