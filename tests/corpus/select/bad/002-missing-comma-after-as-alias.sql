-- expect: 5:5
SELECT
    user_id,
    count() AS views
    uniq(session_id) AS sessions
FROM page_views
GROUP BY user_id
