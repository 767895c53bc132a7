-- expect: 4:1
SELECT user_id, url
FROM page_views
FROM sessions
WHERE ts > now() - INTERVAL 1 HOUR
