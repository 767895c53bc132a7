SELECT extract(url, 'utm_source=([^&]+)') AS source, count() FROM page_views GROUP BY source
