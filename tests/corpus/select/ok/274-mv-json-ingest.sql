SELECT
    parseDateTimeBestEffort(JSONExtractString(raw, 'timestamp')) AS ts,
    JSONExtractString(raw, 'event') AS event_type,
    JSONExtractUInt(raw, 'user_id') AS user_id,
    JSONExtractString(raw, 'context', 'page', 'url') AS url,
    JSONExtractString(raw, 'context', 'campaign', 'source') AS utm_source,
    JSONExtract(raw, 'properties', 'Map(String, String)') AS props
FROM kafka_raw_events
WHERE JSONHas(raw, 'event')
