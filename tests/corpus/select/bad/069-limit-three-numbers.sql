-- expect: 2:52
SELECT url FROM page_views ORDER BY ts LIMIT 10, 20, 30
