-- expect: 4:1
SELECT user_id FROM ad_clicks
UNION ALL
UNION ALL
SELECT user_id FROM page_views
