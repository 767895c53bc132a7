-- expect: 4:34
SELECT
    user_id,
    row_number() OVER (PARTITION user_id ORDER BY ts) AS rn
FROM page_views
