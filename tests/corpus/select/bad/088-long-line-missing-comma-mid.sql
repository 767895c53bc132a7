-- expect: 2:111
SELECT user_id, session_id, min(ts) AS started, max(ts) AS ended, count() AS hits, argMin(url, ts) AS landing argMax(url, ts) AS exit_page FROM page_views GROUP BY user_id, session_id
