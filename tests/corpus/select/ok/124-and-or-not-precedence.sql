SELECT count() FROM events
WHERE NOT is_bot AND (country = 'US' OR country = 'CA') AND NOT (event_type = 'heartbeat' OR event_type = 'ping') OR is_vip
