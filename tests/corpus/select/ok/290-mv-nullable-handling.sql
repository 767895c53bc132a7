SELECT
    toDate(ts) AS day,
    coalesce(nullIf(country, ''), 'unknown') AS country,
    ifNull(plan, 'free') AS plan,
    count() AS events,
    countIf(referrer IS NOT NULL) AS referred
FROM events
GROUP BY day, country, plan
