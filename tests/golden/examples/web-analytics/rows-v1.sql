INSERT INTO web.campaigns (referrer_domain, campaign, channel) VALUES ('news.example', 'spring', 'display'), ('search.example', 'brand', 'search')
;;
INSERT INTO web.page_views (ts, user_id, session_id, url, referrer, country, device, duration) VALUES ('2099-01-01 10:00:00', 1, '00000000-0000-0000-0000-000000000001', '/home', 'https://news.example/a', 'NL', 'mobile', 3), ('2099-01-01 10:05:00', 2, '00000000-0000-0000-0000-000000000002', '/home', '', 'DE', 'desktop', 30), ('2099-01-01 10:10:00', 1, '00000000-0000-0000-0000-000000000001', '/pricing', 'https://search.example/q', 'NL', 'mobile', 12)
;;
INSERT INTO web.page_views (ts, user_id, session_id, url, device, duration) VALUES ('2099-01-01 11:00:00', 3, '00000000-0000-0000-0000-000000000003', '/home', 'tablet', 2)
;;
SELECT hour, url, sum(hits), uniqMerge(visitors) FROM web.hourly_pages GROUP BY hour, url ORDER BY hour, url
;;
SELECT day, country, device, sum(views), sum(mobile) FROM web.daily_countries GROUP BY day, country, device ORDER BY day, country, device
;;
SELECT * FROM web.top_pages ORDER BY url
;;
SELECT * FROM web.campaign_traffic ORDER BY campaign
;;
