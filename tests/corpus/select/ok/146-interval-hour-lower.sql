select * from sessions where started_at >= now() - interval 3 hour and ended_at < now()
