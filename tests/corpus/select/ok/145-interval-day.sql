SELECT count() FROM events WHERE ts > now() - INTERVAL 1 DAY
