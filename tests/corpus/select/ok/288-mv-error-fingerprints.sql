SELECT
    toStartOfHour(ts) AS hour,
    service,
    replaceRegexpAll(replaceRegexpAll(message, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>'), '\\d+', '<n>') AS fingerprint,
    count() AS occurrences,
    any(message) AS sample_message,
    groupUniqArrayState(10)(host) AS hosts
FROM error_logs
WHERE level IN ('error', 'fatal')
GROUP BY hour, service, fingerprint
