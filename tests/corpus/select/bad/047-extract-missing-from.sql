-- expect: 2:20
SELECT EXTRACT(DAY ts) AS d FROM events
