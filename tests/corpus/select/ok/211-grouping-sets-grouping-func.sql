SELECT
    if(grouping(country) = 1, 'ALL', country) AS country_label,
    if(grouping(device) = 1, 'ALL', device) AS device_label,
    count() AS n
FROM sessions
GROUP BY GROUPING SETS ((country, device), (country), ())
