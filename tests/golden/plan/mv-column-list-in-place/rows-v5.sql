INSERT INTO a.hits VALUES ('2024-01-01 00:00:00', '/A', 200), ('2024-01-01 00:00:01', '/A', 404)
;;
SELECT day, url, sum(total), sum(errors) FROM a.url_hits GROUP BY day, url ORDER BY day, url
;;
