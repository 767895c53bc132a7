select s.session_id, p.url
from sessions s
left outer join page_views p on p.session_id = s.session_id
where s.started_at > now() - interval 2 hour
