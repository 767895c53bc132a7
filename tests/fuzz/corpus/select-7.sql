WITH
    (SELECT max(event_date) FROM daily_stats) AS last_day,
    0.01 AS min_share,
    totals AS (
        SELECT country, sum(revenue) AS rev
        FROM daily_stats
        WHERE event_date = last_day
        GROUP BY country
    )
SELECT country, rev, rev / (SELECT sum(rev) FROM totals) AS share
FROM totals
WHERE share >= min_share
ORDER BY share DESC
