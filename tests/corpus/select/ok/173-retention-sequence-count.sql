SELECT
    retention(event_date = '2024-03-01', event_date = '2024-03-02', event_date = '2024-03-08') AS r,
    sequenceCount('(?1).*(?2)')(ts, event_type = 'search', event_type = 'click') AS search_clicks
FROM events
GROUP BY user_id
