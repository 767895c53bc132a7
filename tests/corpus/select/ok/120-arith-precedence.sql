SELECT
    a + b * c - d / e % f AS mixed,
    -a * -b AS neg_product,
    (a + b) * (c - d) AS grouped,
    - (a + b) AS negated,
    a - -1 AS minus_negative
FROM metrics
