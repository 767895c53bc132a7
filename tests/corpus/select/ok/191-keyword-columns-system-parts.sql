SELECT database, table, sum(rows) AS total_rows, formatReadableSize(sum(bytes_on_disk)) AS size
FROM system.parts
WHERE active AND database != 'system'
GROUP BY database, table
ORDER BY sum(bytes_on_disk) DESC
