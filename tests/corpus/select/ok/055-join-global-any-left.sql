SELECT e.user_id, u.segment
FROM events_dist e
GLOBAL ANY LEFT JOIN user_segments u ON u.user_id = e.user_id
