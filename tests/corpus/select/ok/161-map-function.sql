SELECT map('a', 1, 'b', 2) AS m, m['a'], mapKeys(map('x', 1)) FROM numbers(1)
