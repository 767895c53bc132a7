SELECT
    country,
    sequenceMatch('(?1)(?2)(?3)')(ts, event_type = 'search', event_type = 'view_item', event_type = 'purchase') AS full_path,
    quantile(0.9)(session_length_s) AS p90_len,
    topK(3)(landing_page) AS top_landings
FROM sessions_flat
GROUP BY country, user_id
