SELECT
    order_id,
    argMaxState(status, version) AS status,
    argMaxState(amount, version) AS amount,
    maxState(version) AS version
FROM order_changes
GROUP BY order_id
