SELECT
    is_trial ? 'trial' : CASE plan WHEN 'pro' THEN 'paid-pro' WHEN 'team' THEN 'paid-team' ELSE 'paid-other' END AS bucket,
    count() AS accounts
FROM accounts
GROUP BY bucket
