-- expect: 3:41
SELECT
    multiIf(age < 18, 'minor', age < 65 'adult', 'senior') AS grp
FROM users
