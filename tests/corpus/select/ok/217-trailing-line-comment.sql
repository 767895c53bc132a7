SELECT count() FROM events -- total events
