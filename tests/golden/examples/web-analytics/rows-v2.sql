INSERT INTO web.campaigns (referrer_domain, campaign, channel, budget) VALUES ('news.example', 'summer', 'display', 1500.50)
;;
INSERT INTO web.page_views (ts, user_id, session_id, url, referrer, country, device, duration) VALUES ('2099-01-02 09:00:00', 4, '00000000-0000-0000-0000-000000000004', '/home', 'https://news.example/c', 'FR', 'tablet', 1), ('2099-01-02 09:30:00', 5, '00000000-0000-0000-0000-000000000005', '/pricing', 'https://search.example/r', 'FR', 'desktop', 40)
;;
SELECT hour, url, sum(hits), uniqMerge(visitors), sum(bounces) FROM web.hourly_pages GROUP BY hour, url ORDER BY hour, url
;;
SELECT day, country, device, sum(views), sum(mobile) FROM web.daily_countries GROUP BY day, country, device ORDER BY day, country, device
;;
SELECT day, source, sum(views), uniqMerge(sessions) FROM web.daily_referrers GROUP BY day, source ORDER BY day, source
;;
SELECT * FROM web.top_pages ORDER BY url
;;
SELECT referrer_domain, campaign, budget FROM web.campaigns FINAL ORDER BY referrer_domain
;;
