SELECT
    toDate(ts) AS day,
    app_id,
    groupBitmapState(toUInt64(user_id)) AS users_bitmap,
    uniqExactState(device_id) AS devices
FROM app_opens
GROUP BY day, app_id
