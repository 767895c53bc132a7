SELECT
    toStartOfHour(started_at) AS hour,
    platform,
    app_version,
    count() AS sessions,
    uniqCombinedState(user_id) AS users,
    sumState(duration_s) AS total_duration_s,
    avgState(duration_s) AS avg_duration_s,
    quantileTDigestState(0.95)(duration_s) AS p95_duration_s
FROM sessions
WHERE duration_s > 0
GROUP BY hour, platform, app_version
