-- expect: 2:41
SELECT uniq(user_id) FROM events SAMPLE WHERE event_date = today()
