SELECT count()
FROM orders
WHERE -revenue < -10 AND NOT status = 'refunded' OR discount * 2 + 1 >= 5 AND coupon IS NOT NULL AND country IN ('US', 'GB')
