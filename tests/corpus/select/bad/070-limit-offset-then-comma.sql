-- expect: 2:57
SELECT url FROM page_views ORDER BY ts LIMIT 10 OFFSET 5, 3
