SELECT count()
FROM events
WHERE CAST(props['amount'] AS Nullable(Float64)) > 10.5
  AND toUInt8(props['is_test']) = 0
