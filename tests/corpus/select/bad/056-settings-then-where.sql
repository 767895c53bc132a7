-- expect: 2:53
SELECT count() FROM events SETTINGS max_threads = 8 WHERE ts > today()
