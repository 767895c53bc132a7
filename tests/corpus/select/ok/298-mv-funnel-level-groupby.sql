SELECT
    day,
    funnel_level,
    count() AS users,
    avg(revenue) AS avg_revenue
FROM (
    SELECT
        toDate(min(ts)) AS day,
        user_id,
        windowFunnel(1800, 'strict_order')(ts, event_type = 'view_item', event_type = 'add_to_cart', event_type = 'purchase') AS funnel_level,
        sumIf(amount, event_type = 'purchase') AS revenue
    FROM shop_events
    GROUP BY user_id
)
GROUP BY day, funnel_level
