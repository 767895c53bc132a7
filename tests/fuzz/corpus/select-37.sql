SELECT pv.url, pv.ts FROM page_views pv WHERE pv.user_id = 42
