-- expect: 2:27
SELECT props['utm_source' FROM events
