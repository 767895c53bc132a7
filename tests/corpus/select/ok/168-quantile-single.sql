SELECT endpoint, quantile(0.99)(latency) AS p99 FROM requests GROUP BY endpoint ORDER BY p99 DESC
