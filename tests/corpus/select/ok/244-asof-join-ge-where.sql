SELECT o.order_id, o.ts, r.rate
FROM orders AS o
ASOF INNER JOIN fx_rates AS r ON r.currency = o.currency AND o.ts >= r.valid_from
WHERE o.currency != 'USD'
