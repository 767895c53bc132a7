-- expect: 2:48
SELECT count() FROM users WHERE country IN 'US', 'CA'
