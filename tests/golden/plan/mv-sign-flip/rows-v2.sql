INSERT INTO sf.events VALUES ('2024-01-02 10:00:00', 4), ('2024-01-02 10:00:01', -3)
;;
SELECT 'ups', * FROM sf.ups ORDER BY ts
;;
SELECT 'downs', * FROM sf.downs ORDER BY ts
;;
SELECT 'ratios', * FROM sf.ratios ORDER BY ts
;;
