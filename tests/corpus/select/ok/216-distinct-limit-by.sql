SELECT DISTINCT user_id, url FROM page_views ORDER BY user_id LIMIT 5 BY user_id
