SELECT session_id, ev
FROM sessions
LEFT ARRAY JOIN events AS ev
