SELECT
    arrayMap(x -> arrayFilter(y -> y > x, thresholds), values) AS above,
    arrayExists(t -> t = 'vip', tags) AS is_vip,
    arrayCount(x -> x IS NULL, optional_values) AS nulls,
    arrayFirst(x -> x.2 > 0, arrayZip(names, counts)) AS first_nonzero
FROM measurements
