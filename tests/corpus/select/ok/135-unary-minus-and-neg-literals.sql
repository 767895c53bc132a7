SELECT -1 AS a, -2.5 AS b, -x AS c, - - x AS d, abs(-revenue) FROM t
