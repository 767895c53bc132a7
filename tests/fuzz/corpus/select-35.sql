SELECT uniq(user_id) FROM hits SAMPLE 1/10 OFFSET 1/2 WHERE event_date = today()
