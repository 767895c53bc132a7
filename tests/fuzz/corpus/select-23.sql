SELECT
	bytes_sent / 1024 AS kb,
	kb / 1024 AS mb,
	mb > 100 AS is_large
FROM http_logs
WHERE is_large
