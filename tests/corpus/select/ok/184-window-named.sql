SELECT
    user_id,
    ts,
    row_number() OVER w AS rn,
    first_value(url) OVER w AS landing,
    count() OVER w AS n
FROM page_views
WINDOW w AS (PARTITION BY session_id)
