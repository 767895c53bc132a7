-- expect: 2:49
SELECT count() FROM events SETTINGS max_threads 8
