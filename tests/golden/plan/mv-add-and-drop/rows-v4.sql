INSERT INTO a.hits (ts, url, ref) VALUES ('2024-01-04 00:00:00', '/a', 'abc'), ('2024-01-04 00:00:01', '/e', 'xy')
;;
SELECT url, sum(hits), sum(size) FROM a.url_stats GROUP BY url ORDER BY url
