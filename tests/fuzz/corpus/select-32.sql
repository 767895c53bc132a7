SELECT hostName() AS host, count() FROM cluster('prod', analytics.events) GROUP BY host
