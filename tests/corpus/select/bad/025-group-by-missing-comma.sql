-- expect: 2:69
SELECT country, device_type, count() FROM sessions GROUP BY country device_type
