SELECT count() FROM page_views WHERE ts >= now() - INTERVAL '1 day'
