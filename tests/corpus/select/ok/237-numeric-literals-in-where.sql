SELECT count()
FROM metrics
WHERE value != inf AND value != -inf AND NOT isNaN(value) AND value != nan
  AND bytes < 1e10 AND bitAnd(flags, 0x1F) = 0x1F AND ratio > 1.5e-3
