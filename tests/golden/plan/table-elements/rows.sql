INSERT INTO site.hits (ts, url, country, status) VALUES ('2026-11-01 10:00:00', '/a', 'NL', 200), ('2026-11-01 11:00:00', '/b', 'DE', 404)
;;
SELECT name, type FROM system.columns WHERE database = 'site' AND table = 'hits' ORDER BY position
;;
SELECT name, type_full, granularity FROM system.data_skipping_indices WHERE database = 'site' AND table = 'hits' ORDER BY name
;;
SELECT day, sum(hits) FROM site.daily GROUP BY day ORDER BY day
;;
