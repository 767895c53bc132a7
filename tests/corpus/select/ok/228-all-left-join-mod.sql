select s.session_id, p.url, p.ts
from sessions as s
all left join page_views as p on p.session_id = s.session_id
where s.session_id mod 100 = 0
