SELECT
    toDate(ts) AS day,
    merchant_id,
    sumState(CAST(amount AS Decimal(18, 4))) AS gross,
    sumStateIf(CAST(amount AS Decimal(18, 4)), status = 'refunded') AS refunded,
    countState() AS transactions
FROM payments
GROUP BY day, merchant_id
