SELECT
    toMonday(first_seen) AS cohort_week,
    retention(
        activity_day = toDate(first_seen),
        activity_day = toDate(first_seen) + 1,
        activity_day = toDate(first_seen) + 7,
        activity_day = toDate(first_seen) + 30
    ) AS r
FROM user_activity
GROUP BY user_id, cohort_week
