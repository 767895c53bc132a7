SELECT
    JSONExtractString(payload, 'utm', 'source') AS utm_source,
    JSONExtractInt(payload, 'cart', 'items') AS cart_items,
    JSONExtract(payload, 'tags', 'Array(String)') AS tags,
    JSONHas(payload, 'coupon') AS has_coupon
FROM raw_events
WHERE isValidJSON(payload)
