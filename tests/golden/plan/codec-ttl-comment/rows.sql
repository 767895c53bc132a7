INSERT INTO logs.lines VALUES (now(), 'h', 3, 'm', 't', 'p', 's', 'k')
;;
SELECT name, compression_codec, comment FROM system.columns WHERE database = 'logs' AND table = 'lines' ORDER BY position
;;
SELECT count() FROM logs.lines
;;
SELECT arrayJoin(extractAll(create_table_query, '`\\w+` String TTL [^,]*')) FROM system.tables WHERE database = 'logs' AND name = 'lines'
;;
