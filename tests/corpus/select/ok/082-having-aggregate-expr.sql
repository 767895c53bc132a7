select url, count() from page_views group by url having count() > 1000 and avg(load_ms) < 2000
