SELECT c.campaign_id, c.name, s.clicks
FROM campaign_stats AS s
RIGHT JOIN campaigns AS c ON c.campaign_id = s.campaign_id
