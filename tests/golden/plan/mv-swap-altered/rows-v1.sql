INSERT INTO a.hits (ts, url, ref, code) VALUES ('2024-01-01 00:00:00', '/a', 'x', 200), ('2024-01-01 00:00:01', '/b', 'y', 404)
;;
SELECT 'url_refs', url, ref, sum(hits) FROM a.url_refs GROUP BY url, ref ORDER BY url
;;
SELECT 'codes', code, sum(hits) FROM a.codes GROUP BY code ORDER BY code
;;
