SELECT user_id, plan, count() FROM events LEFT JOIN users USING user_id GROUP BY user_id, plan
