-- expect: 2:14
WITH 10 AS n 20 AS m SELECT n + m
