INSERT INTO m.readings VALUES (1, 's1', 200, 4000000000, -30000, 1.5, 1234567.89, 65535, 7, 0.25, 'abcd')
;;
SELECT * FROM m.readings ORDER BY id
;;
