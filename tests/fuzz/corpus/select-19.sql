SELECT count() c, uniq(user_id) u, sum(revenue) rev FROM orders
