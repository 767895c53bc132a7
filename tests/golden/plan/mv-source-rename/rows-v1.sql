INSERT INTO r.clicks (ts, uid, href, cost) VALUES ('2024-01-01 10:00:00', 4294967295, '/a', 0), ('2024-01-01 11:00:00', 7, '/b', 12)
;;
SELECT 'clicks_per_user', uid, sum(clicks) FROM r.clicks_per_user GROUP BY uid ORDER BY uid
;;
SELECT 'costs', ts, href, cost FROM r.costs ORDER BY ts
;;
SELECT 'pages', * FROM r.pages ORDER BY ts
;;
