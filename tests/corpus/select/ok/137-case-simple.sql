SELECT CASE status WHEN 1 THEN 'active' WHEN 2 THEN 'paused' ELSE 'unknown' END AS status_name FROM subscriptions
