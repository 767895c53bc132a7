-- expect: 2:29
SELECT (user_id, session_id FROM events
