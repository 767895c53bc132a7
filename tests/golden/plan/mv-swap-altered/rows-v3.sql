INSERT INTO a.hits (ts, url, code, bytes) VALUES ('2024-01-02 00:00:00', '/a', 70000, 10), ('2024-01-02 00:00:01', '/a', 200, 5)
;;
SELECT 'url_refs', url, ref, sum(hits) FROM a.url_refs GROUP BY url, ref ORDER BY url
;;
SELECT 'url_bytes', url, sum(hits), sum(bytes) FROM a.url_bytes GROUP BY url ORDER BY url
;;
SELECT 'codes2', code, sum(hits) FROM a.codes2 GROUP BY code ORDER BY code
;;
