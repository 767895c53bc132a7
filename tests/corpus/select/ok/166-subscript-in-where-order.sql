SELECT user_id, props['plan'] AS plan
FROM events
WHERE props['plan'] IN ('pro', 'enterprise') AND items[1] > 0
ORDER BY scores[1] DESC
