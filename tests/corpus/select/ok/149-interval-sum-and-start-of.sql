SELECT
    toStartOfInterval(ts, INTERVAL 5 MINUTE) AS bucket,
    bucket + INTERVAL 4 MINUTE + INTERVAL 59 SECOND AS bucket_end,
    count()
FROM requests
WHERE ts >= now() - (INTERVAL 1 DAY + INTERVAL 6 HOUR)
GROUP BY bucket
