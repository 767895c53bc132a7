SELECT
    toDate(published_at) AS day,
    tag,
    count() AS articles,
    sumState(views) AS views
FROM articles
ARRAY JOIN tags AS tag
WHERE tag != ''
GROUP BY day, tag
