WITH purchases AS (
    SELECT user_id, ts, amount
    FROM events
    WHERE event_type = 'purchase' AND amount > 0
)
SELECT
    toDate(ts) AS day,
    count() AS purchases,
    sum(amount) AS gross,
    uniqExactState(user_id) AS buyers
FROM purchases
GROUP BY day
