-- expect: 2:48
SELECT * FROM events ORDER BY ts DESC LIMIT 10 10
