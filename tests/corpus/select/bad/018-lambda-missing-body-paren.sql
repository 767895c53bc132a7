-- expect: 2:22
SELECT arrayMap(p -> ) AS doubled FROM products
