select user_id from users
where not exists (select 1 from maintenance_windows where now() between starts_at and ends_at)
