INSERT INTO w.visits VALUES ('2026-01-01 00:00:00', 7, '/a'), ('2026-01-01 00:00:01', 8, '/b');
INSERT INTO w.visits VALUES ('2026-01-01 00:00:02', 9, '/c');
INSERT INTO w.events VALUES ('2026-01-01 00:00:00', 'old', 'new', 3);
SELECT * FROM w.visits ORDER BY ts FORMAT TSV;
