INSERT INTO a.hits (ts, url, size) VALUES ('2024-01-02 00:00:00', '/a', 7), ('2024-01-02 00:00:01', '/c', 1)
;;
SELECT url, sum(hits), sum(size) FROM a.url_stats GROUP BY url ORDER BY url
