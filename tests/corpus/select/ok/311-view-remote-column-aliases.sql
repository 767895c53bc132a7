SELECT a, b
FROM remote('127.0.0.{1,2}', view(SELECT id, name FROM 01234_users UNION ALL SELECT 0, '')) AS r(a, b)
CROSS JOIN numbers(10, SETTINGS max_threads = 1)
WITH TOTALS
