INSERT INTO crm.contacts VALUES (1, 'OLD@example.com', 'new@example.com')
;;
SELECT * FROM crm.contacts ORDER BY id
;;
