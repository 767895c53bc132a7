SELECT topK(10)(url) AS top_urls FROM page_views WHERE event_date = today()
