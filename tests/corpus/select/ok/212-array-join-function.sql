SELECT arrayJoin(tags) AS tag, count() FROM articles GROUP BY tag ORDER BY count() DESC LIMIT 10
