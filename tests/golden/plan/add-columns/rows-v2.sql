INSERT INTO web.events (ts, user_id, url) VALUES ('2024-01-02 00:00:00', 3, '/a')
;;
INSERT INTO web.events (id, ts, user_id, session, url, referrer, country) VALUES (9, '2024-01-02 00:00:01', 4, 7, '/c', 'r', 'NL')
;;
SELECT url, sum(hits) FROM web.url_hits GROUP BY url ORDER BY url
;;
SELECT id, user_id, session, url, referrer, country FROM web.events ORDER BY ts
;;
