SELECT
    countDistinct(user_id) AS users,
    sumArray(item_prices) AS gross,
    anyOrNull(coupon_code) AS some_coupon,
    maxSimpleState(ts) AS last_ts,
    sumForEach(daily_counts) AS per_day,
    groupArrayDistinct(country) AS countries
FROM orders
