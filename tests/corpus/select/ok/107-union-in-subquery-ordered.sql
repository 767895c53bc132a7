SELECT kind, count() AS n
FROM (
    (SELECT 'signup' AS kind FROM users WHERE created_at >= today())
    UNION ALL
    (SELECT 'order' AS kind FROM orders WHERE ts >= today())
)
GROUP BY kind
ORDER BY n DESC
