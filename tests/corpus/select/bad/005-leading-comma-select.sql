-- expect: 3:5
SELECT
    , user_id
    , count() AS c
FROM events
GROUP BY user_id
