SELECT
    campaign_id,
    sumIf(revenue, event_type = 'purchase') AS revenue,
    countIf(event_type = 'click') AS clicks,
    uniqExactIf(user_id, event_type = 'purchase') AS buyers,
    avgIf(order_value, order_value > 0) AS aov
FROM ad_events
GROUP BY campaign_id
