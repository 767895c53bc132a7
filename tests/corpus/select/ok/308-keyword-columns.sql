SELECT id, intervalLengthSum(start, end) AS covered, Settings['max_threads'] AS threads,
       arrayMap((from, to) -> to - from, starts, ends) AS spans, interval AS step
FROM sessions
GROUP BY id, Settings, interval
