SELECT
    toDate(ts) AS day,
    user_id,
    groupUniqArrayState(feature) AS features_used,
    groupArrayState(10)(event_type) AS first_events,
    countState() AS events
FROM feature_usage
GROUP BY day, user_id
