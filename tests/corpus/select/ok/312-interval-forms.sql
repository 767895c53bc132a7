SELECT ts + INTERVAL number * 600 SECOND AS slot,
       DATE '2026-01-01' + INTERVAL 2 days AS start_day,
       TIMESTAMP '2026-01-01 00:00:00' - INTERVAL '1 hour' AS before,
       substring(name FROM 2 FOR 3) AS code, substring(name FROM 5) AS rest
FROM numbers(10) /* a /* nested */ comment */
ORDER BY ALL DESC NULLS FIRST
