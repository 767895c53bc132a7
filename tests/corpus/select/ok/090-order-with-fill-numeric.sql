SELECT bucket, count() AS c
FROM (SELECT intDiv(latency_ms, 100) AS bucket FROM requests)
GROUP BY bucket
ORDER BY bucket ASC WITH FILL FROM 0 TO 50 STEP 1
