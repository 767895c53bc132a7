SELECT user_id FROM users WHERE arrayExists(x -> x LIKE 'beta_%', feature_flags) AND length(arrayFilter(x -> x != '', tags)) > 2
