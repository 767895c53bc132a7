SELECT 'click' AS kind, user_id, ts FROM ad_clicks WHERE ts >= today() ORDER BY ts DESC LIMIT 10
UNION ALL
SELECT 'view' AS kind, user_id, ts FROM page_views WHERE url LIKE '%/pricing%' ORDER BY ts DESC LIMIT 10
UNION ALL
SELECT 'order' AS kind, user_id, ts FROM orders WHERE revenue > 0 ORDER BY ts DESC LIMIT 5
