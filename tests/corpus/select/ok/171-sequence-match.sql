SELECT user_id,
       sequenceMatch('(?1)(?2)')(ts, event_type = 'add_to_cart', event_type = 'purchase') AS converted
FROM events
GROUP BY user_id
