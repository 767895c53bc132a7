-- expect: 2:29
SELECT DISTINCT ON (user_id session_id) user_id, session_id, url FROM page_views
