SELECT
    toStartOfFiveMinutes(ts) AS bucket,
    cdn,
    isp,
    quantilesState(0.5, 0.9)(startup_ms) AS startup_q,
    sumState(rebuffer_ms) AS rebuffer_ms,
    sumState(watch_ms) AS watch_ms,
    countStateIf(error_code != 0) AS playback_errors
FROM video_playback_events
GROUP BY bucket, cdn, isp
