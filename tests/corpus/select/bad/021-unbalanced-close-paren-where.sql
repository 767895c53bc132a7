-- expect: 4:46
SELECT user_id
FROM orders
WHERE (status = 'paid' OR status = 'shipped'))
  AND revenue > 0
