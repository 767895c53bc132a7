SELECT CAST(raw AS parsed AS UInt32) AS n,
       sum(x) OVER (PARTITION BY intDiv(n, 3) AS bucket ORDER BY ts) AS running
FROM t
ORDER BY ngramDistance(title, 'metrika') AS distance ASC
LIMIT 1 BY bucket AS b
