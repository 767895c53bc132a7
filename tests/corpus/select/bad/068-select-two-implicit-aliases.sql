-- expect: 2:18
SELECT count() c d FROM events
