SELECT user_id DIV 1000 AS bucket, user_id MOD 10 AS shard, user_id % 7 AS weekday_slot FROM users
