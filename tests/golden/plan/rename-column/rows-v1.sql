INSERT INTO r.clicks VALUES ('2024-01-01 00:00:00', 1, '/a', 5), ('2024-01-01 00:00:01', 2, '/b', 50)
;;
SELECT uid, sum(clicks) FROM r.clicks_per_user GROUP BY uid ORDER BY uid
;;
SELECT * FROM r.expensive
;;
