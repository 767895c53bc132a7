SELECT count()
FROM events_dist
WHERE user_id GLOBAL IN (SELECT user_id FROM users_dist WHERE plan = 'pro')
  AND session_id GLOBAL NOT IN (SELECT session_id FROM bot_sessions_dist)
  AND country GLOBAL IN ('US', 'CA')
  AND (os, os_version) GLOBAL NOT IN (('android', '4.4'), ('ios', '9'))
