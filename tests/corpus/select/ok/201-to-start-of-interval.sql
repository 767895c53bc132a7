SELECT toStartOfInterval(ts, INTERVAL 5 MINUTE) AS bucket, count() FROM requests GROUP BY bucket ORDER BY bucket
