SELECT
	user_id,
	count()	AS	c,
	max(ts)	AS	last_seen
FROM	events
WHERE	event_type	=	'login'
GROUP BY	user_id
HAVING	c	>	5
