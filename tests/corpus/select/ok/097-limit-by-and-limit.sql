SELECT domain, url, count() AS hits
FROM page_views
GROUP BY domain, url
ORDER BY domain, hits DESC
LIMIT 5 BY domain
LIMIT 100
