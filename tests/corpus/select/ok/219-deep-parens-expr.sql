SELECT ((((a + b) * (c - d)) / ((e))) % 7) AS v, (((x))) FROM numbers_table WHERE ((a > 0) AND ((b < 10) OR (c = 5)))
