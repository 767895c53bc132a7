SELECT
    day,
    web.visits::UInt64 AS web_visits,
    app.visits::UInt64 AS app_visits
FROM (SELECT toDate(ts) AS day, count() AS visits FROM web_hits GROUP BY day) AS web
FULL JOIN (SELECT toDate(ts) AS day, count() AS visits FROM app_hits GROUP BY day) AS app USING (day)
ORDER BY day DESC NULLS FIRST
