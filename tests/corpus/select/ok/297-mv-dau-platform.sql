select
    toDate(ts) as day,
    platform,
    uniqCombined64State(user_id) as dau,
    uniqCombined64StateIf(user_id, is_new_user) as new_users
from app_events
group by day, platform
