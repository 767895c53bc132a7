INSERT INTO r.clicks (ts, user_id, url, cost) VALUES ('2024-01-02 00:00:00', 1, '/c', 70)
;;
SELECT uid, sum(clicks) FROM r.clicks_per_user GROUP BY uid ORDER BY uid
;;
SELECT * FROM r.expensive ORDER BY url
;;
SELECT user_id, url FROM r.clicks ORDER BY ts
;;
