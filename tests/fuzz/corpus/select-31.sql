SELECT event_type, count() AS n
FROM remote('10.0.0.5:9000', analytics.events, 'reader', 'secret')
WHERE ts >= today()
GROUP BY event_type
