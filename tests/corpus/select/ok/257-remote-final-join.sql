SELECT r.user_id, r.plan, count() AS events
FROM remote('ch-main:9000', crm, users) AS r FINAL
INNER JOIN events AS e ON e.user_id = r.user_id
GROUP BY r.user_id, r.plan
