SELECT left(postal_code, 2) AS region, right(phone, 2) AS suffix, EXTRACT(MONTH FROM created_at) AS m, count()
FROM customers
WHERE left(postal_code, 1) IN ('1', '2') AND right(email, 4) = '.com'
GROUP BY region, suffix, m
