SELECT p.category, tag, count() AS n
FROM products AS p
ARRAY JOIN p.tags AS tag
INNER JOIN categories AS c ON c.category = p.category
WHERE tag != ''
GROUP BY p.category, tag
ORDER BY n DESC
