INSERT INTO crm.contacts VALUES (2, 'b@b')
;;
SELECT * FROM crm.mailing ORDER BY id, email
;;
SELECT * FROM crm.contacts ORDER BY id
