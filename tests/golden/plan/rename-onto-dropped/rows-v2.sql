SELECT * FROM crm.contacts ORDER BY id
;;
SELECT name FROM system.columns WHERE database = 'crm' AND table = 'contacts' ORDER BY position
;;
