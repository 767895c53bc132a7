SELECT count() * 10 AS approx FROM events SAMPLE 0.1 WHERE event_type = 'click'
