INSERT INTO ads.ads VALUES (10, 1, 'Spring sale', 'draft', '2099-01-01 08:00:00'), (10, 1, 'Spring sale!', 'live', '2099-01-01 09:00:00'), (20, 2, 'New shoes', 'live', '2099-01-01 09:00:00'), (30, 2, 'Old shoes', 'paused', '2099-01-01 09:00:00')
;;
INSERT INTO ads.events (ts, event_type, campaign_id, ad_id, user_id, cost, revenue, latency_ms) VALUES ('2099-01-01 10:00:00', 'impression', 1, 10, 100, 0.002, 0, 20), ('2099-01-01 10:01:00', 'impression', 1, 10, 101, 0.002, 0, 40), ('2099-01-01 10:02:00', 'impression', 1, 10, 102, 0.002, 0, 60), ('2099-01-01 10:03:00', 'click', 1, 10, 101, 0.5, 0, 80), ('2099-01-01 10:20:00', 'conversion', 1, 10, 101, 0, 49.99, 100), ('2099-01-01 10:30:00', 'impression', 2, 20, 200, 0.003, 0, 30)
;;
INSERT INTO ads.conversions VALUES ('c-1', '2099-01-01 10:20:00', 10, 49.99), ('c-1', '2099-01-01 10:20:00', 10, 49.99), ('c-2', '2099-01-01 10:40:00', 20, 15)
;;
SELECT * FROM ads.campaign_funnel ORDER BY campaign_id
;;
SELECT * FROM ads.live_ads ORDER BY ad_id
;;
