SELECT url FROM page_views PREWHERE event_date = today() WHERE url LIKE '%/checkout%'
