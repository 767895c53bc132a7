SELECT DISTINCT ON (device_id) *
FROM (SELECT * EXCEPT (raw, debug_info) FROM telemetry WHERE ts >= now() - INTERVAL 10 MINUTE)
ORDER BY device_id, ts DESC
