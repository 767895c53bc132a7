select e.user_id, any(u.email) email, count(*) cnt from events e left join users u on u.user_id = e.user_id where e.ts > now() - interval 1 hour group by e.user_id order by cnt desc limit 10
