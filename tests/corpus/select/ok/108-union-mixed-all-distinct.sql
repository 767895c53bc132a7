SELECT country FROM users
UNION ALL
SELECT country FROM leads
UNION DISTINCT
SELECT country FROM partners
