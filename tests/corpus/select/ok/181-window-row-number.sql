SELECT user_id, ts, url,
       row_number() OVER (PARTITION BY user_id ORDER BY ts) AS page_index
FROM page_views
