SELECT
    grid[2][3] AS cell,
    pairs[1].2 AS first_count,
    (min_ts, max_ts).1 AS start_ts,
    meta.source AS src,
    histogram_data[1].1 AS first_bucket_lower
FROM measurements
