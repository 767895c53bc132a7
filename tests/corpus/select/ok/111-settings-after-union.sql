SELECT user_id FROM ad_clicks WHERE ts >= today()
UNION ALL
SELECT user_id FROM page_views WHERE ts >= today()
SETTINGS max_threads = 4
