SELECT count() FROM analytics.events
