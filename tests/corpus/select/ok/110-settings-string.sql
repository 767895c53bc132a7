SELECT u.country, count()
FROM events AS e
INNER JOIN users AS u ON u.user_id = e.user_id
GROUP BY u.country
SETTINGS join_algorithm = 'partial_merge', max_bytes_in_join = 1000000000
