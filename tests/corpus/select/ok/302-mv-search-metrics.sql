SELECT
    toStartOfHour(ts) AS hour,
    lower(trimBoth(query)) AS normalized_query,
    count() AS searches,
    countIf(results_count = 0) AS zero_results,
    avgState(position_clicked) AS avg_click_position,
    sumState(toUInt64(clicked)) AS clicks
FROM search_events
GROUP BY hour, normalized_query
