SELECT e.event_id, s.session_id
FROM events AS e
INNER JOIN sessions AS s
    ON e.user_id = s.user_id
   AND (e.ts BETWEEN s.started_at AND s.ended_at OR s.ended_at IS NULL)
