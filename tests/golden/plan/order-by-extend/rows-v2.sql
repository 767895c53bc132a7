INSERT INTO s.sales (day, shop, region, channel, amount) VALUES ('2024-01-01', 'a', 'eu', 'web', 1), ('2024-01-01', 'a', 'eu', 'web', 2), ('2024-01-01', 'a', 'us', 'web', 4)
;;
INSERT INTO s.stock VALUES ('x', 2, 10)
;;
OPTIMIZE TABLE s.sales FINAL
;;
SELECT day, shop, region, channel, amount FROM s.sales ORDER BY day, shop, region, channel
;;
SELECT sorting_key FROM system.tables WHERE database = 's' ORDER BY name
;;
SELECT * FROM s.stock ORDER BY sku, warehouse
;;
