SELECT
    toStartOfHour(e.ts) AS hour,
    dictGetOrDefault('geoip_city', 'country_code', tuple(IPv4StringToNum(e.ip)), '??') AS country,
    dictGetOrDefault('geoip_city', 'city', tuple(IPv4StringToNum(e.ip)), '') AS city,
    count() AS events
FROM events AS e
GROUP BY hour, country, city
