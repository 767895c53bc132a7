SELECT (duration_ms / 1000 AS duration_s) * 2 AS double_s, duration_s FROM requests
