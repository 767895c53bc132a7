SELECT
    toStartOfMonth(created_at) AS month,
    dateDiff('day', created_at, now()) AS age_days,
    formatDateTime(created_at, '%Y-%m-%d') AS created,
    toDayOfWeek(created_at) IN (6, 7) AS is_weekend,
    addDays(toDate(created_at), 30) AS trial_end
FROM users
WHERE toYYYYMM(created_at) >= 202401
