SELECT
    toDate(ts) day,
    country AS c,
    count() hits,
    uniq(user_id) AS visitors
FROM page_views
GROUP BY day, c
