-- expect: 2:26
SELECT user_id, url FORM page_views WHERE ts > now() - INTERVAL 1 DAY
