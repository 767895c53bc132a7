(SELECT user_id FROM events WHERE ts > now() - INTERVAL 1 DAY
 UNION ALL
 SELECT user_id FROM signups)
EXCEPT
(SELECT user_id FROM banned
 INTERSECT DISTINCT
 SELECT user_id FROM reviewed)
