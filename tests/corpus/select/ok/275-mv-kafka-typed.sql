SELECT
    toDateTime64(ts_ms / 1000, 3, 'UTC') AS ts,
    CAST(device_id AS LowCardinality(String)) AS device_id,
    toFloat64OrZero(reading) AS value,
    _partition AS kafka_partition,
    _offset AS kafka_offset
FROM kafka_sensor_readings
