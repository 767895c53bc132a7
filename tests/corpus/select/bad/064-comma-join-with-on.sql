-- expect: 2:46
SELECT a.user_id FROM sessions a, sessions b ON a.session_id = b.parent_session_id
