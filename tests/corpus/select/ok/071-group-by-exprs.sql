SELECT toStartOfHour(ts), country, count()
FROM page_views
GROUP BY toStartOfHour(ts), country
