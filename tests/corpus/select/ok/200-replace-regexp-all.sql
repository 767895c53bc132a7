SELECT replaceRegexpAll(message, '\\d+', 'N') AS fingerprint, count() AS n
FROM error_logs
GROUP BY fingerprint
ORDER BY n DESC
LIMIT 25
