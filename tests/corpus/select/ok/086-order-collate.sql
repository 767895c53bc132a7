SELECT name FROM products ORDER BY name COLLATE 'en'
