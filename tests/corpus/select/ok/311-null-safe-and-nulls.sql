SELECT user_id,
       any(country) RESPECT NULLS AS first_country,
       anyLast(device) IGNORE NULLS AS last_device,
       first_value(plan) IGNORE NULLS OVER (PARTITION BY user_id ORDER BY ts) AS first_plan
FROM events
WHERE old_value <=> new_value OR exists((SELECT 1 FROM flags WHERE flags.user_id = events.user_id))
GROUP BY user_id, plan, ts
