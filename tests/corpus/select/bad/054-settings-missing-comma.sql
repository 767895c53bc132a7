-- expect: 4:26
SELECT count()
FROM events
SETTINGS max_threads = 8 max_memory_usage = 10000000000
