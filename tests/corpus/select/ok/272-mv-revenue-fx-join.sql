SELECT
    toDate(o.ts) AS day,
    o.country,
    sum(o.amount * fx.rate_to_usd) AS revenue_usd,
    count() AS orders
FROM orders AS o
LEFT JOIN fx_rates AS fx ON fx.currency = o.currency AND fx.day = toDate(o.ts)
WHERE o.status IN ('paid', 'shipped')
GROUP BY day, o.country
