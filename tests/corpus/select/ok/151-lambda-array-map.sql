SELECT arrayMap(x -> x * 2, prices) AS doubled FROM products
