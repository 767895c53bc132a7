SELECT u.user_id, u.plan
FROM crm.users u FINAL
WHERE u.plan != 'free'
