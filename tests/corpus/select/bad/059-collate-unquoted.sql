-- expect: 2:49
SELECT name FROM products ORDER BY name COLLATE en
