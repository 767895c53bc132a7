SELECT tags[1] AS first_tag, tags[-1] AS last_tag, props['utm_source'] AS src FROM events
