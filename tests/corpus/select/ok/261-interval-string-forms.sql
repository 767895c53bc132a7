SELECT count()
FROM sessions
WHERE started_at >= now() - INTERVAL '2 hour'
  AND ended_at <= now() - INTERVAL '30' minute
  AND started_at + INTERVAL 1 DAY > now()
