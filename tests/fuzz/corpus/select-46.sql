SELECT a.user_id, b.user_id FROM sessions a, sessions b WHERE a.session_id = b.parent_session_id
