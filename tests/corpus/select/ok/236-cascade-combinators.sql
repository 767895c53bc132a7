SELECT
    toStartOfMonth(day) AS month,
    avgMergeState(avg_order_value) AS avg_order_value,
    sumArray(daily_totals) AS month_total,
    anyOrNull(top_coupon) AS any_coupon,
    sumForEach(hourly_counts) AS hourly_profile,
    groupArrayDistinct(country) AS countries,
    countDistinct(merchant_id) AS merchants
FROM daily_merchant_stats
GROUP BY month
