-- expect: 5:25
SELECT
    CASE status
        WHEN 'paid' THEN 'P'
        WHEN 'refunded' 'R'
        ELSE '?'
    END AS s
FROM orders
