-- expect: 2:27
SELECT arrayFold(acc + 1, x -> acc + x, arr, 0) FROM t
