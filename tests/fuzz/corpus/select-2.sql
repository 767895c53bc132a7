with toDate(now()) as d
select count() from page_views where event_date = d
