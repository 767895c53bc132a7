-- expect: 2:28
SELECT * FROM events WEHRE event_type = 'click'
