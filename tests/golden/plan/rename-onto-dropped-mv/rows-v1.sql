INSERT INTO crm.contacts VALUES (1, 'old@a', 'new@a')
;;
SELECT * FROM crm.mailing ORDER BY id, email
