-- expect: 2:48
SELECT count() FROM users WHERE age BETWEEN 18 65
