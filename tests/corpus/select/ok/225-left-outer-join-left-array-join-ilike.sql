SELECT a.article_id, a.title, tag, au.name AS author
FROM articles AS a
LEFT OUTER JOIN authors AS au ON au.author_id = a.author_id
LEFT ARRAY JOIN a.tags AS tag
WHERE a.title ILIKE '%clickhouse%' AND au.name NOT ILIKE 'test%'
