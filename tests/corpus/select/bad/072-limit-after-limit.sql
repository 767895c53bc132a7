-- expect: 2:54
SELECT url FROM page_views ORDER BY ts DESC LIMIT 10 LIMIT 5
