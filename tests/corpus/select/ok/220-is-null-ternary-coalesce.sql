SELECT coalesce(nickname, first_name, 'anon') AS display, nickname IS NULL ? 0 : 1 AS has_nick, ifNull(age, -1) FROM users
