-- expect: 5:20
SELECT user_id, session_id, url
FROM page_views
ORDER BY ts DESC
LIMIT 3 BY user_id session_id
