-- expect: 2:53
SELECT url FROM page_views WHERE url LIKE '/blog/%' PREWHERE event_date = today()
