SELECT sum(price * quantity AS line_total) AS revenue, max(price) AS top_price FROM order_items
