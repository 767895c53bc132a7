SELECT
    user_id,
    ts,
    dateDiff('second', lagInFrame(ts, 1, ts) OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), ts) AS gap_s,
    count() OVER () AS total_rows
FROM events
WHERE event_date = today()
