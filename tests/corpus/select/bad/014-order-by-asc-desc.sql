-- expect: 2:70
SELECT url, count() AS n FROM page_views GROUP BY url ORDER BY n ASC DESC
