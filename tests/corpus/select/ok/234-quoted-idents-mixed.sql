SELECT "Customer Name" || ' <' || `e-mail` || '>' AS contact, `order`.total
FROM "crm"."customers" AS c
INNER JOIN `orders` AS `order` ON `order`.customer_id = c.id
WHERE "Customer Name" != ''
