SELECT count()
FROM events
WHERE EXISTS (SELECT 1 FROM feature_flags WHERE name = 'track_events' AND enabled = 1)
