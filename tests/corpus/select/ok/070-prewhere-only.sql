SELECT count()
FROM events
PREWHERE event_type IN ('purchase', 'refund')
