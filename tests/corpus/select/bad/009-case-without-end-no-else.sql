-- expect: 2:39
SELECT CASE WHEN status = 1 THEN 'on' FROM devices
