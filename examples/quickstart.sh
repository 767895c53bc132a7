#!/bin/sh
# The main job, end to end, with no server to set up (`make quickstart`):
# compile examples/web-analytics into a plan, apply it with mvrun to an
# embedded ClickHouse (chDB) in build/quickstart/db, insert page views into
# the source table, and show what the materialized views wrote into their
# targets. Then run mvrun again: nothing left to do.
set -eu
cd "$(dirname "$0")/.."
out=build/quickstart
sql=build/engines/chdb_query   # runs SQL on the same chDB directory
rm -rf "$out" && mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "bin/mvdc build -o $out/plan.sql examples/web-analytics"
bin/mvdc build -o "$out/plan.sql" --summary=md examples/web-analytics

step "bin/mvrun --url chdb:$out/db $out/plan.sql"
bin/mvrun --url "chdb:$out/db" "$out/plan.sql"

step "insert page views into web.page_views (the MVs' source)"
cat > "$out/rows.sql" <<'SQL'
INSERT INTO web.page_views (ts, user_id, session_id, url, referrer, country, device, duration) VALUES
    ('2026-11-23 09:05:00', 1, '00000000-0000-0000-0000-000000000001', '/home', 'https://news.example/a', 'FR', 'mobile', 12),
    ('2026-11-23 09:20:00', 2, '00000000-0000-0000-0000-000000000002', '/home', 'https://search.example/q', 'DE', 'desktop', 30),
    ('2026-11-23 09:45:00', 1, '00000000-0000-0000-0000-000000000001', '/pricing', 'https://news.example/a', 'FR', 'mobile', 55),
    ('2026-11-23 10:10:00', 3, '00000000-0000-0000-0000-000000000003', '/home', '', 'US', 'tablet', 8)
;;
SQL
"$sql" "$out/db" < "$out/rows.sql"
echo "4 rows inserted"

step "what the MVs wrote: web.hourly_pages (per hour and page)"
printf "SELECT hour, url, sum(hits) AS hits, uniqMerge(visitors) AS visitors FROM web.hourly_pages GROUP BY hour, url ORDER BY hour, url FORMAT PrettyCompactMonoBlock\n;;\n" |
    "$sql" "$out/db"

step "what the MVs wrote: web.daily_countries (per day, country and device)"
printf "SELECT day, country, device, sum(views) AS views, sum(mobile) AS mobile FROM web.daily_countries GROUP BY day, country, device ORDER BY country, device FORMAT PrettyCompactMonoBlock\n;;\n" |
    "$sql" "$out/db"

step "bin/mvrun again: the database is converged, no DDL is sent"
bin/mvrun --url "chdb:$out/db" "$out/plan.sql"
