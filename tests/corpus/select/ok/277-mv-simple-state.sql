SELECT
    device_id,
    toDate(ts) AS day,
    minSimpleState(ts) AS first_seen,
    maxSimpleState(ts) AS last_seen,
    sumSimpleState(bytes) AS bytes,
    anyLastSimpleState(firmware) AS firmware
FROM device_heartbeats
GROUP BY device_id, day
