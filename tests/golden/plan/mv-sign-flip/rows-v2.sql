INSERT INTO sf.events VALUES ('2024-01-02 10:00:00', 4, '1.5'), ('2024-01-02 10:00:01', -3, '-2')
;;
SELECT 'ups', * FROM sf.ups ORDER BY ts
;;
SELECT 'downs', * FROM sf.downs ORDER BY ts
;;
SELECT 'ratios', * FROM sf.ratios ORDER BY ts
;;
SELECT 'labels', * FROM sf.labels ORDER BY ts
;;
SELECT 'parsed', * FROM sf.parsed ORDER BY ts
;;
