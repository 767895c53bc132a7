SELECT day, uniqMerge(users_state) AS users
FROM (
    SELECT toDate(ts) AS day, uniqState(user_id) AS users_state
    FROM events
    GROUP BY day
)
GROUP BY day
