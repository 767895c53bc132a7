SELECT count() FROM events WHERE ts >= today() SETTINGS max_threads = 8, max_execution_time = 30
