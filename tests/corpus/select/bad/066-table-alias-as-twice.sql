-- expect: 2:36
SELECT ev.user_id FROM events AS e AS ev
