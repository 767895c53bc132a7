-- expect: 2:28
SELECT arrayMap(x -> x * 2 prices) FROM products
