-- expect: 13:25
SELECT 'click' AS kind, user_id, ts
FROM ad_clicks
WHERE ts >= today()
UNION ALL
SELECT 'view' AS kind, user_id, ts
FROM page_views
WHERE url LIKE '%/pricing%'
UNION ALL
SELECT 'order' AS kind, user_id, ts
FROM orders
WHERE revenue > 0 AND
      status IN ('paid' 'shipped')
