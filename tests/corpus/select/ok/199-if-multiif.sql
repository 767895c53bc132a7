SELECT
    if(revenue > 0, 'paid', 'free') AS kind,
    multiIf(age < 18, 'minor', age < 65, 'adult', 'senior') AS age_group,
    if(isNull(country), 'unknown', country) AS cc
FROM users
