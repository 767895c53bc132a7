#!/usr/bin/env bash
# A plan is a ClickHouse script (docs/plan-format.md): piped through
# clickhouse-client --multiquery into an empty 18.16 server it creates
# every object. The manifest is one run of comment lines bigger than the
# server's default max_query_size (256 KiB) once a project has about a
# thousand objects, so the documented command passes --max_query_size;
# without it such a plan is refused, which is checked too, so the day
# ClickHouse stops counting comments the documentation can say so.
# Prints PASS/FAIL lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CH18="$ROOT/tests/engines/ch18.sh"
trap '"$CH18" stop "$TMP/ch18" > /dev/null 2>&1; rm -rf "$TMP"' EXIT

cc -std=c11 -O2 -o "$TMP/genproject" tests/bench/genproject.c || { fail "plan-client: genproject"; exit 0; }
"$TMP/genproject" 1500 "$TMP/gen" > /dev/null
bash tests/bench/project18.sh "$TMP/gen" "$TMP/p18"
"$MVDC" build -o "$TMP/plan.sql" "$TMP/p18" 2> "$TMP/err" || { fail "plan-client: mvdc build" "$TMP/err"; exit 0; }
manifest=$(awk '/^-- @step /{exit} {n += length($0) + 1} END {print n}' "$TMP/plan.sql")
tables=$(grep -c '^-- @step setup create table ' "$TMP/plan.sql")
"$CH18" start "$TMP/ch18" > /dev/null || { fail "plan-client: cannot start ClickHouse 18.16"; exit 0; }
port=$(cat "$TMP/ch18/tcp_port")

count_tables() {
    clickhouse-client --port "$port" --query \
        "SELECT count() FROM system.tables WHERE database LIKE 'bench_%' AND engine LIKE '%MergeTree'"
}

if clickhouse-client --port "$port" --multiquery < "$TMP/plan.sql" > "$TMP/out" 2>&1; then
    echo "a $manifest-byte manifest went through with the default max_query_size" > "$TMP/err"
    fail "plan-client/default-max-query-size: expected the server to refuse it" "$TMP/err"
elif grep -q 'Max query size exceeded' "$TMP/out"; then
    pass "plan-client/default-max-query-size (a $manifest-byte manifest is refused: Max query size exceeded)"
else
    fail "plan-client/default-max-query-size: refused for another reason" "$TMP/out"
fi

if clickhouse-client --port "$port" --multiquery --max_query_size="$(stat -c %s "$TMP/plan.sql")" \
        < "$TMP/plan.sql" > "$TMP/out" 2>&1 && [ "$(count_tables)" = "$tables" ]; then
    pass "plan-client/multiquery ($tables tables created from a $(stat -c %s "$TMP/plan.sql")-byte plan)"
else
    echo "tables: $(count_tables) of $tables" >> "$TMP/out"
    fail "plan-client/multiquery" "$TMP/out"
fi
