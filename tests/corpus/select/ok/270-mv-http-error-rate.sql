SELECT
    toStartOfMinute(ts) AS minute,
    service,
    endpoint,
    count() AS requests,
    countIf(status >= 500) AS errors_5xx,
    countIf(status >= 400 AND status < 500) AS errors_4xx,
    errors_5xx / requests AS error_rate
FROM http_requests
GROUP BY minute, service, endpoint
