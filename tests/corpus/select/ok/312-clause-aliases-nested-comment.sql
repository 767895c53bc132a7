SELECT /* outer /* inner */ still comment */ url,
       count() OVER (PARTITION BY intDiv(user_id, 10) AS bucket) AS c
FROM events
ORDER BY lower(url) AS lu DESC
LIMIT 1 BY lower(url) AS key
