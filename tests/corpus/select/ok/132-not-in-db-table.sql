SELECT user_id, ts FROM events WHERE user_id NOT IN security.blocklist ORDER BY ts DESC LIMIT 20
