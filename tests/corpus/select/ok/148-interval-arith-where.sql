SELECT user_id, ts
FROM events
WHERE ts BETWEEN toStartOfDay(now()) - INTERVAL 7 DAY AND toStartOfDay(now()) - INTERVAL 1 SECOND
  AND ts + INTERVAL 30 MINUTE > last_seen
  AND event_date >= today() - INTERVAL 1 MONTH
