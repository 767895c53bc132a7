-- expect: 4:10
SELECT user_id, row_number() OVER w AS rn
FROM page_views
WINDOW w (PARTITION BY user_id ORDER BY ts)
