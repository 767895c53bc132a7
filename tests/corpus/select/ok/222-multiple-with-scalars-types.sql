WITH
    [0.5, 0.9, 0.99] AS levels,
    (1, 'primary') AS default_tier,
    'UTC' AS tz
SELECT
    toTimeZone(ts, tz) AS ts_utc,
    default_tier.2 AS tier_name,
    levels[2] AS p90_level
FROM requests
LIMIT 5
