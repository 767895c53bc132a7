-- expect: 2:32
SELECT e.user_id FROM events e WEHRE e.event_type = 'click'
