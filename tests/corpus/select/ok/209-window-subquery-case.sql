SELECT user_id, session_id, page_no, url,
       CASE WHEN page_no = 1 THEN 'landing' WHEN page_no = pages THEN 'exit' ELSE 'middle' END AS role
FROM (
    SELECT user_id, session_id, url,
           row_number() OVER (PARTITION BY session_id ORDER BY ts) AS page_no,
           count() OVER (PARTITION BY session_id) AS pages
    FROM page_views
    WHERE event_date = today()
)
WHERE pages > 1
