INSERT INTO dim.products (product_id, name, brand, category, updated_at) VALUES (1, 'Kettle', 'Boil&Co', 'kitchen', '2099-01-05 00:00:00'), (4, 'Sofa', 'Sit', 'living', '2099-01-05 00:00:00')
;;
INSERT INTO raw.order_lines (order_id, ts, customer_id, product_id, qty, unit_price, channel) VALUES (4, '2099-01-05 10:00:00', 100, 1, 100000, 19.99, 'app'), (5, '2099-01-05 12:00:00', 101, 4, 1, 899.00, 'store')
;;
SELECT day, category, brand, sum(units), sum(revenue) FROM mart.sales_by_category GROUP BY day, category, brand ORDER BY day, category, brand
;;
SELECT * FROM mart.orders_by_tier ORDER BY tier, country
;;
SELECT * FROM bi.top_categories
;;
SELECT name FROM system.tables WHERE database = 'raw' ORDER BY name
;;
