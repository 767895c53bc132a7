SELECT
    CASE WHEN country = 'US'
         THEN CASE WHEN state IN ('CA', 'WA', 'OR') THEN 'us-west' ELSE 'us-other' END
         ELSE 'intl'
    END AS region
FROM customers
