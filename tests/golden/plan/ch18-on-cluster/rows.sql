INSERT INTO web.hits (ts, url, bytes) VALUES ('2024-01-01 00:00:00', 'https://a.example/x', 10), ('2024-01-01 00:00:01', 'https://b.example/y', 20)
;;
SELECT domain, hits FROM web.top_domains ORDER BY domain
;;
SELECT name, engine FROM system.tables WHERE database = 'web' ORDER BY name
;;
SELECT host_name FROM system.clusters WHERE cluster = 'mvd_test' ORDER BY replica_num
;;
