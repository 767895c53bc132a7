-- expect: 2:15
SELECT count()) FROM events
