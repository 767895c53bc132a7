SELECT count()
FROM events
WHERE country IN ('US', 'CA', 'MX')
  AND event_type NOT IN ('heartbeat', 'ping')
  AND (country, device) IN (('US', 'ios'), ('US', 'android'), ('DE', 'web'))
  AND user_id IN [1, 2, 3]
