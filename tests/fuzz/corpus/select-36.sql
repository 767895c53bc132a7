SELECT e.user_id FROM events AS e FINAL SAMPLE 1/100 WHERE e.ts > now() - INTERVAL 1 HOUR
