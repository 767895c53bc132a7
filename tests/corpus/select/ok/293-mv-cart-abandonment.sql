SELECT
    toDate(min(ts)) AS day,
    user_id,
    sequenceMatch('(?1)(?t<3600)(?2)')(ts, event_type = 'add_to_cart', event_type = 'checkout') AS checked_out_within_hour,
    sequenceMatch('(?1)(?2)')(ts, event_type = 'add_to_cart', event_type = 'purchase') AS purchased
FROM events
WHERE event_type IN ('add_to_cart', 'checkout', 'purchase')
GROUP BY user_id
