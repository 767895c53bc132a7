SELECT trimLeft(explain) AS line
FROM (
    EXPLAIN PLAN actions = 1, header = 1
    SELECT url, count() FROM events WHERE duration > 10 GROUP BY url
)
WHERE explain LIKE '%Filter%'
