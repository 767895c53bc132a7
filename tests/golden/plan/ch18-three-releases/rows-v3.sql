INSERT INTO metrics.samples (date, host, cpu, mem) VALUES ('2024-01-03', 'c', 300, 128)
;;
SELECT host, sum(samples), sum(cpu_sum), sum(mem_sum) FROM metrics.host_daily GROUP BY host ORDER BY host
;;
SELECT name FROM system.tables WHERE database = 'metrics' ORDER BY name
;;
SELECT name, type, comment FROM system.columns WHERE database = 'metrics' AND table = 'samples'
;;
