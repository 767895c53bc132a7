-- expect: 2:51
SELECT count() FROM events WHERE user_id IN (1, 2,, 3)
