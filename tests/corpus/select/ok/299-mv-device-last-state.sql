SELECT
    device_id,
    argMaxState(battery_level, ts) AS battery_level,
    argMaxState(firmware_version, ts) AS firmware_version,
    argMaxState(tuple(lat, lon), ts) AS last_position,
    maxState(ts) AS last_seen
FROM telemetry
GROUP BY device_id
