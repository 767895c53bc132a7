INSERT INTO r.clicks (ts, user_id, url, cost) VALUES ('2024-01-02 10:00:00', 4294967296, '/c', 0), ('2024-01-02 11:00:00', 7, '/d', 4294967296)
;;
SELECT 'clicks_per_user', uid, sum(clicks) FROM r.clicks_per_user GROUP BY uid ORDER BY uid
;;
SELECT 'costs', ts, href, cost FROM r.costs ORDER BY ts
;;
SELECT 'pages', * FROM r.pages ORDER BY ts
;;
SELECT 'expensive', url, cost FROM r.expensive ORDER BY url
;;
