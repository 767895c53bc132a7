INSERT INTO dim.products VALUES (1, 'Kettle', 'kitchen', '2099-01-01 00:00:00'), (2, 'Toaster', 'kitchen', '2099-01-01 00:00:00'), (3, 'Lamp', 'living', '2099-01-01 00:00:00')
;;
INSERT INTO dim.customers VALUES (100, 'NL', 'retail', '2099-01-01 00:00:00'), (101, 'DE', 'business', '2099-01-01 00:00:00'), (100, 'NL', 'vip', '2099-01-02 00:00:00')
;;
INSERT INTO raw.order_lines VALUES (1, '2099-01-03 10:00:00', 100, 1, 2, 19.99), (1, '2099-01-03 10:00:00', 100, 3, 1, 45.00), (2, '2099-01-03 11:00:00', 101, 2, 10, 29.50), (3, '2099-01-04 09:00:00', 101, 9, 1, 5.00)
;;
INSERT INTO raw.import_staging VALUES ('a line')
;;
SELECT day, category, sum(units), sum(revenue) FROM mart.sales_by_category GROUP BY day, category ORDER BY day, category
;;
SELECT * FROM mart.orders_by_segment ORDER BY segment, country
;;
