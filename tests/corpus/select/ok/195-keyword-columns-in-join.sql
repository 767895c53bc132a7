SELECT a.key, a.value, b.value AS other_value, a.type
FROM settings_current a
LEFT JOIN settings_default b ON a.key = b.key AND a.type = b.type
WHERE a.value != b.value
