SELECT count()
FROM events
SETTINGS additional_table_filters = {'events': 'country = \'US\''}, max_threads = 2
