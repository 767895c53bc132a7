SELECT order_id, revenue FROM orders WHERE revenue > (SELECT avg(revenue) FROM orders) ORDER BY revenue DESC
