SELECT
    toStartOfHour(ts) AS hour,
    country,
    count() AS human_views
FROM page_views
WHERE NOT match(user_agent, '(?i)(bot|crawler|spider|headless)')
  AND ip NOT IN (SELECT ip FROM blocked_ips)
  AND NOT startsWith(url, '/internal/')
GROUP BY hour, country
