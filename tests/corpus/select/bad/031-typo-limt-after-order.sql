-- expect: 5:1
SELECT url
FROM page_views
ORDER BY ts DESC
LIMT 10
