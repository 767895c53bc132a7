INSERT INTO metrics.samples (date, host, cpu, legacy) VALUES ('2024-01-01', 'a', 90, 'x'), ('2024-01-01', 'a', 20, 'y'), ('2024-01-01', 'b', 10, 'z')
;;
SELECT host, sum(samples), sum(cpu_sum) FROM metrics.host_daily GROUP BY host ORDER BY host
;;
SELECT * FROM metrics.busy_hosts ORDER BY host
;;
