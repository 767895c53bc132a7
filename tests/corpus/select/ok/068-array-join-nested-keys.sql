SELECT event_id, k, v
FROM events
ARRAY JOIN mapKeys(properties) AS k, mapValues(properties) AS v
WHERE k LIKE 'utm_%'
