SELECT EXTRACT(DAY FROM ts) AS d, extract(YEAR FROM created_at) AS y, EXTRACT(HOUR FROM ts) FROM events
