SELECT count(), count(*), count(DISTINCT user_id), uniq(user_id, session_id), count(referrer) FROM page_views
