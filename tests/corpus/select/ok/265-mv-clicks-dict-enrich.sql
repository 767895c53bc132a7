SELECT
    toStartOfFiveMinutes(c.ts) AS bucket,
    c.campaign_id,
    dictGet('dim_campaigns', 'advertiser_id', toUInt64(c.campaign_id)) AS advertiser_id,
    dictGetOrDefault('dim_geo', 'region', toUInt64(c.geo_id), 'unknown') AS region,
    count() AS clicks,
    sum(c.cost_micros) / 1000000 AS cost
FROM ad_clicks AS c
GROUP BY bucket, c.campaign_id, advertiser_id, region
