SELECT tag, count()
FROM articles
ARRAY JOIN tags AS tag
PREWHERE published_at >= now() - INTERVAL 30 DAY
WHERE tag LIKE 'db-%'
GROUP BY tag
