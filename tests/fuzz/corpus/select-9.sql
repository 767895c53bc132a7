WITH 100 AS pct, 2 AS precision_digits
SELECT campaign_id, round(clicks / impressions * pct, precision_digits) AS ctr_pct
FROM campaign_stats
