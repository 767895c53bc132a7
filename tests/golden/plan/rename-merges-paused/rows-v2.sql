SELECT * FROM w.visits ORDER BY ts FORMAT TSV;
SELECT * FROM w.events ORDER BY ts FORMAT TSV;
SELECT table, extract(create_table_query, 'SETTINGS .*') FROM system.tables WHERE database = 'w' ORDER BY table FORMAT TSV;
SELECT table, command, is_done FROM system.mutations WHERE database = 'w' ORDER BY table, mutation_id FORMAT TSV;
