SELECT "user id", "Event Date", count() FROM "raw events" GROUP BY "user id", "Event Date"
