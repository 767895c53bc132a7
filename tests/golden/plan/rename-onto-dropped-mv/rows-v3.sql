INSERT INTO crm.contacts VALUES (3, 'c@c')
;;
SELECT * FROM crm.mailing ORDER BY id, email
;;
SELECT * FROM crm.contacts ORDER BY id
