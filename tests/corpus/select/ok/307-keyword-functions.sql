-- Keywords ClickHouse also reads as function names
SELECT query_id, like(query, '%SELECT%') AS is_select
FROM system_query_log
WHERE and(greaterOrEquals(event_time, now() - 3600), lessOrEquals(event_time, now()))
    AND NOT or(ilike(query, '%system%'), in(type, ('ExceptionBeforeStart', 'ExceptionWhileProcessing')))
