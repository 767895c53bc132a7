-- expect: 2:253
SELECT toDate(ts) AS day, country, device, count() AS views, uniq(user_id) AS visitors, sum(duration_ms) / 1000 AS seconds FROM page_views WHERE ts >= today() - 7 AND country != '' GROUP BY day, country, device ORDER BY day DESC, views DESC LIMIT 1000 1000
