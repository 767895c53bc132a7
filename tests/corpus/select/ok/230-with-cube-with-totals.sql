SELECT os, browser, uniq(user_id) AS users
FROM sessions
WHERE started_at >= today()
GROUP BY os, browser WITH CUBE WITH TOTALS
