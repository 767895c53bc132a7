SELECT
    toDate(ts) AS day,
    props['plan'] AS plan,
    props['experiment'] AS experiment,
    mapContains(props, 'coupon') AS used_coupon,
    count() AS events,
    uniqState(user_id) AS users
FROM events
WHERE has(mapKeys(props), 'experiment')
GROUP BY day, plan, experiment, used_coupon
