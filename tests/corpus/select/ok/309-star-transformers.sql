SELECT * EXCEPT STRICT (raw_payload) APPLY toString REPLACE (lower(email) AS email),
       t.* APPLY(x -> length(toString(x))),
       COLUMNS('^metric_') APPLY(sum),
       countIf(*, status = 'ok') AS ok_rows
FROM users AS t
