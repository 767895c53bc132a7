SELECT count()
FROM orders
WHERE revenue = 10 OR revenue == 20 OR revenue != 30 OR revenue <> 40
   OR revenue < 1 OR revenue > 1000 OR revenue <= 0 OR revenue >= 5000
