SELECT
    toStartOfHour(ts) AS hour,
    host,
    sumMap([toString(status)], [toUInt64(1)]) AS status_counts,
    sumMapState([path], [bytes]) AS bytes_by_path
FROM access_log
GROUP BY hour, host
