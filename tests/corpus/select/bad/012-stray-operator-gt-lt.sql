-- expect: 2:36
SELECT * FROM events WHERE score > < 10
