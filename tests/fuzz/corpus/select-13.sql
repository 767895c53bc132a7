SELECT DISTINCT ON (user_id, session_id) user_id, session_id, url, ts
FROM page_views
ORDER BY user_id, session_id, ts
