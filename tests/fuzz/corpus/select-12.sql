select distinct country, device_type from sessions where started_at >= today() order by country, device_type
