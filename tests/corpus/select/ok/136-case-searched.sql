SELECT
    CASE
        WHEN revenue >= 1000 THEN 'enterprise'
        WHEN revenue >= 100 THEN 'pro'
        WHEN revenue > 0 THEN 'starter'
        ELSE 'free'
    END AS tier,
    count() AS users
FROM accounts
GROUP BY tier
