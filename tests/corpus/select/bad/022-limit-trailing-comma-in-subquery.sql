-- expect: 2:71
SELECT url FROM (SELECT url FROM page_views ORDER BY ts DESC LIMIT 10,) AS recent
