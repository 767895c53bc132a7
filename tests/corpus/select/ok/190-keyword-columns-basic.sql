SELECT date, value, key, type FROM t WHERE type = 'a' GROUP BY date, value, key, type
