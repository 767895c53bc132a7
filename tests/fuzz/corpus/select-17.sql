SELECT * EXCEPT (raw_payload, ip) FROM events WHERE ts >= today()
