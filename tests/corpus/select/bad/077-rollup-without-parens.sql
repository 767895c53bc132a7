-- expect: 2:63
SELECT country, device, count() FROM sessions GROUP BY ROLLUP country, device
