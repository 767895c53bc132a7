SELECT url
FROM page_views
WHERE url LIKE '/blog/%'
  AND url NOT LIKE '%?preview=%'
  AND referrer ILIKE '%google.%'
  AND user_agent NOT ILIKE '%bot%'
