SELECT
    toDate(ts) AS day,
    multiIf(
        utm_medium = 'cpc', 'paid_search',
        utm_medium IN ('social', 'social-paid'), 'social',
        referrer_domain LIKE '%google.%' OR referrer_domain LIKE '%bing.%', 'organic_search',
        referrer_domain = '', 'direct',
        'referral'
    ) AS channel,
    uniqState(session_id) AS sessions,
    countIf(is_conversion) AS conversions
FROM sessions
GROUP BY day, channel
