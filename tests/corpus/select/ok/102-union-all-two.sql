SELECT user_id FROM ad_clicks
UNION ALL
SELECT user_id FROM page_views
