INSERT INTO ads.ads (ad_id, campaign_id, headline, format, status, updated_at) VALUES (20, 2, 'New shoes, now in video', 'video', 'live', '2099-01-02 09:00:00')
;;
INSERT INTO ads.events (ts, event_type, campaign_id, ad_id, user_id, country, cost, latency_ms) VALUES ('2099-01-02 10:00:00', 'impression', 2, 20, 201, 'NL', 0.004, 10), ('2099-01-02 10:00:05', 'video_view', 2, 20, 201, 'NL', 0.01, 10), ('2099-01-02 10:00:30', 'click', 2, 20, 201, 'NL', 0.6, 15), ('2099-01-02 10:05:00', 'impression', 2, 20, 202, 'DE', 0.004, 12)
;;
INSERT INTO ads.conversions VALUES ('c-3', '2099-01-02 10:10:00', 20, 1234567890123.5), ('c-2', '2099-01-01 10:40:00', 20, 15)
;;
SELECT * FROM ads.campaign_funnel ORDER BY campaign_id
;;
SELECT day, country, uniqMerge(viewers), uniqMerge(clickers), sumMerge(spend) FROM ads.country_daily GROUP BY day, country ORDER BY day, country
;;
SELECT * FROM ads.live_ads ORDER BY ad_id
;;
SELECT * FROM ads.campaign_conversions ORDER BY campaign_id
;;
