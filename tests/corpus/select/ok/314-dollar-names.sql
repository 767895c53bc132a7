-- Event columns named with a leading `$`, unquoted, as analytics
-- schemas write them; `$` inside a name, and a heredoc string.
SELECT $session_id, $window_id AS w$1, count() AS n, $$it's$$ AS raw, $q$x$q$ AS tagged
FROM events
WHERE $session_id != '' AND $1 > 0
GROUP BY $session_id, w$1
