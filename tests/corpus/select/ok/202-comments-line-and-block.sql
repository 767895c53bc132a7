-- daily active users by platform
SELECT /* bucket */ toDate(ts) AS day,
       platform, -- ios / android / web
       uniq(user_id) AS dau
FROM events /* raw stream */
WHERE ts >= today() - 30 -- last month
GROUP BY day, platform
ORDER BY day, platform
