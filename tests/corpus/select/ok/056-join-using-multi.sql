SELECT user_id, event_date, v.views, c.clicks
FROM daily_views AS v
INNER JOIN daily_clicks AS c USING (user_id, event_date)
