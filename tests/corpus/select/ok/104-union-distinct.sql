select user_id from newsletter_subscribers
union distinct
select user_id from users where marketing_opt_in = 1
