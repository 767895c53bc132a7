SELECT
    user_id,
    argMax(email, updated_at) AS email,
    argMax(plan, updated_at) AS plan,
    argMax(country, updated_at) AS country,
    max(updated_at) AS last_updated_at
FROM user_updates
GROUP BY user_id
