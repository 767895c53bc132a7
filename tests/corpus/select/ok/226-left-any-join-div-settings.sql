SELECT e.user_id DIV 100 AS user_bucket, u.plan, count() AS events
FROM events AS e
LEFT ANY JOIN users AS u ON u.user_id = e.user_id
GROUP BY user_bucket, u.plan
SETTINGS join_use_nulls = 1, any_join_distinct_right_table_keys = 1
