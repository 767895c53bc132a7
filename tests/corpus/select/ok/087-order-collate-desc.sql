SELECT city FROM stores ORDER BY city DESC COLLATE 'de', store_id
