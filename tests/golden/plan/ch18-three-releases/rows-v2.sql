INSERT INTO metrics.samples (date, host, cpu, mem) VALUES ('2024-01-02', 'b', 1000, 64)
;;
SELECT host, sum(samples), sum(cpu_sum) FROM metrics.host_daily GROUP BY host ORDER BY host
;;
SELECT * FROM metrics.busy_hosts ORDER BY host
;;
