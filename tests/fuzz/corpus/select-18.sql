select * except (password_hash)
from users
where created_at > now() - interval 1 day
