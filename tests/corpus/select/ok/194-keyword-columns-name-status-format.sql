SELECT format, name, status, time, count() AS count
FROM exports
WHERE status = 'done' AND format IN ('csv', 'parquet')
GROUP BY name, status, format, time
ORDER BY count DESC
