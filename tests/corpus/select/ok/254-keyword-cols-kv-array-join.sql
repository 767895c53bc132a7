SELECT id, key, value, type, name, index
FROM config_entries
ARRAY JOIN keys AS key, vals AS value, arrayEnumerate(keys) AS index
WHERE type = 'feature' AND name != ''
