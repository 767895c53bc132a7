SELECT t.1, t.2, tup.name, (a, b).2 AS second, tuple(x, y).1 FROM points
