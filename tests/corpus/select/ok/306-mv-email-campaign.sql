SELECT
    campaign_id,
    toDate(ts) AS day,
    countIf(event = 'delivered') AS delivered,
    uniqExactIf(recipient_id, event = 'open') AS unique_opens,
    uniqExactIf(recipient_id, event = 'click') AS unique_clicks,
    countIf(event = 'bounce' AND bounce_type = 'hard') AS hard_bounces,
    countIf(event = 'unsubscribe') AS unsubscribes
FROM email_events
GROUP BY campaign_id, day
