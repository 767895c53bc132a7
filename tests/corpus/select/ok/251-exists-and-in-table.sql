SELECT user_id, email
FROM users
WHERE NOT EXISTS (SELECT 1 FROM data_freeze WHERE active = 1)
  AND user_id NOT IN suppression_list
  AND country GLOBAL IN ('US', 'CA')
