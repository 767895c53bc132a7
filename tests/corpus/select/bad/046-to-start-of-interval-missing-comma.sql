-- expect: 2:29
SELECT toStartOfInterval(ts INTERVAL 5 MINUTE) AS bucket, count() FROM requests GROUP BY bucket
