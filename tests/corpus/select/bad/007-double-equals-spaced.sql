-- expect: 2:47
SELECT count() FROM events WHERE event_type = = 'click'
