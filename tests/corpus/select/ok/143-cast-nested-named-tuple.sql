SELECT CAST(tuple(city, zip) AS Tuple(city String, zip LowCardinality(String))) AS addr, addr.city
FROM addresses
