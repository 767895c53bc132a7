#!/usr/bin/env bash
# mvdc import: every chain under tests/import/chains/NAME is a folder of
# ClickHouse migrations (.sql). Two kinds of check, by what the folder has:
#
#   expected/        the .mvd files import must write, byte for byte, and
#   expected.err     what it must print on stderr (its exit status is 1
#                    when that holds an error, else 0); `args` holds extra
#                    options (--define, --database, ...)
#   inserts.txt      a round trip on chDB: the raw .sql applied to one
#                    empty chDB, import -> check -> build -> mvrun applied
#                    to another; then both must have identical
#                    system.columns (name, type, position, default kind and
#                    expression, codec, comment) and system.tables
#                    (engine_full, keys, TTL), and, after the inserts (one
#                    statement a line) on both, identical rows in every table.
#
# Usage: tests/import/run.sh [NAME...]   prints PASS/FAIL lines.
# GOLDEN_ONLY=1 runs the golden chains only (the ASan build, LABEL=import-asan).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MVDC=${MVDC:-$ROOT/bin/mvdc}
MVRUN=${MVRUN:-$ROOT/bin/mvrun}
CHDB=$ROOT/build/engines/chdb_query
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

LABEL=${LABEL:-import}
pass() { echo "PASS $LABEL/$1"; }
fail() { echo "FAIL $LABEL/$1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40; }

# The chain as one stream for chdb_query: statements end with `;` at the
# end of a line; `;;` lines separate them.
raw_stream() { # DIR
    find "$1" -name '*.sql' ! -name '*.down.sql' | LC_ALL=C sort | while read -r f; do
        awk '{print} /;[[:space:]]*$/ {print ";;"}' "$f"
    done
}

SYS="('system', 'INFORMATION_SCHEMA', 'information_schema', '_mvd')"
describe_queries() {
    echo "SELECT database, table, name, type, position, default_kind, default_expression, compression_codec, comment FROM system.columns WHERE database NOT IN $SYS ORDER BY database, table, position"
    echo ";;"
    echo "SELECT database, name, engine, engine_full, partition_key, sorting_key, primary_key, sampling_key, comment FROM system.tables WHERE database NOT IN $SYS ORDER BY database, name"
    echo ";;"
}

# The inserts, then every table's rows, sorted as text (AggregateFunction
# states cannot be ORDER BY keys).
rows() { # DB-DIR INSERTS
    "$CHDB" -l "$1" < "$2"
    echo "SELECT database || '.' || name FROM system.tables WHERE database NOT IN $SYS AND engine NOT LIKE '%View' ORDER BY 1" |
        "$CHDB" -l "$1" > "$1.tables"
    while read -r t; do
        echo "SELECT '$t', * FROM $t FORMAT TSV"
        echo ";;"
    done < "$1.tables" | "$CHDB" "$1" | LC_ALL=C sort
}

roundtrip() { # NAME DIR
    local name=$1 dir=$2 w=$TMP/$1
    mkdir -p "$w"
    raw_stream "$dir" | "$CHDB" "$w/raw" > "$w/raw.apply" 2>&1
    if grep -q '^ERROR' "$w/raw.apply"; then fail "$name (the raw DDL fails on chDB)" "$w/raw.apply"; return; fi
    # shellcheck disable=SC2046
    if ! "$MVDC" import -o "$w/mvd" --clickhouse 26.5 $(cat "$dir/args" 2>/dev/null) "$dir" > "$w/import.out" 2>&1; then
        fail "$name (import)" "$w/import.out"; return
    fi
    if ! "$MVDC" check "$w/mvd" > "$w/check.out" 2>&1; then fail "$name (check)" "$w/check.out"; return; fi
    if ! "$MVDC" build --no-previous -o "$w/plan.sql" "$w/mvd" > "$w/build.out" 2>&1; then fail "$name (build)" "$w/build.out"; return; fi
    if ! "$MVRUN" --url "chdb:$w/mvd.db" "$w/plan.sql" > "$w/mvrun.out" 2>&1; then fail "$name (mvrun)" "$w/mvrun.out"; return; fi
    describe_queries | "$CHDB" "$w/raw" > "$w/raw.describe" 2>&1
    describe_queries | "$CHDB" "$w/mvd.db" > "$w/mvd.describe" 2>&1
    if ! diff -u "$w/raw.describe" "$w/mvd.describe" > "$w/diff"; then fail "$name (columns and tables differ: raw vs imported)" "$w/diff"; return; fi
    rows "$w/raw" "$dir/inserts.txt" > "$w/raw.rows" 2>&1
    rows "$w/mvd.db" "$dir/inserts.txt" > "$w/mvd.rows" 2>&1
    if grep -q '^ERROR' "$w/raw.rows"; then fail "$name (inserts fail on the raw DDL)" "$w/raw.rows"; return; fi
    if ! diff -u "$w/raw.rows" "$w/mvd.rows" > "$w/diff"; then fail "$name (rows differ: raw vs imported)" "$w/diff"; return; fi
    if [ "$(grep -c . "$w/raw.rows")" -lt 1 ]; then fail "$name (no rows to compare)"; return; fi
    pass "$name (round trip on chDB: $(grep -c . "$w/raw.describe") column/table lines, $(grep -c . "$w/raw.rows") rows identical)"
}

golden() { # NAME DIR
    local name=$1 dir=$2 w=$TMP/$1 rc want=0
    mkdir -p "$w"
    # shellcheck disable=SC2046
    (cd "$dir" && "$MVDC" import -o "$w/out" $(cat args 2>/dev/null) . 2> "$w/got.err" > /dev/null)
    rc=$?
    grep -q 'error\[' "$dir/expected.err" && want=1
    if ! diff -u "$dir/expected.err" "$w/got.err" > "$w/diff"; then fail "$name (diagnostics)" "$w/diff"; return; fi
    if ! diff -ru "$dir/expected" "$w/out" > "$w/diff"; then fail "$name (.mvd written)" "$w/diff"; return; fi
    if [ "$rc" -ne "$want" ]; then echo "exit status $rc, expected $want" > "$w/diff"; fail "$name" "$w/diff"; return; fi
    pass "$name"
}

for dir in tests/import/chains/*/; do
    name=$(basename "$dir")
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    [ -d "$dir/expected" ] && golden "$name" "$dir"
    [ -f "$dir/inserts.txt" ] && [ -z "${GOLDEN_ONLY:-}" ] && roundtrip "$name" "$dir"
done
