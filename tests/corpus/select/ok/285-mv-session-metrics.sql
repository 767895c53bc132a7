SELECT
    session_id,
    any(user_id) AS user_id,
    min(ts) AS started_at,
    max(ts) AS ended_at,
    dateDiff('second', min(ts), max(ts)) AS duration_s,
    count() AS hits,
    argMin(url, ts) AS landing_page,
    argMax(url, ts) AS exit_page
FROM page_views
GROUP BY session_id
