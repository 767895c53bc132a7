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
#                    expression, codec, comment), system.tables
#                    (engine_full, keys, TTL) and the SQL functions
#                    (system.functions.create_query), and, after the inserts (one
#                    statement a line) on both, identical rows in every table.
#                    The same again for `mvdc import --url chdb:` of the
#                    raw chDB, whose declarations must also be the file
#                    import's (every line of them with a file `exact`).
#   ch18             `mvdc import --url` of a fresh 18.16 server that ran
#                    the raw DDL: the file import's declarations, and it
#                    checks and builds.
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
# A TimeSeries table's inner tables are named .inner_id.data.UUID (a new
# UUID on each server): compared with the UUID cut out.
inner() { echo "replaceRegexpOne($1, '^([.]inner_id[.][a-z]+[.]).*', '\\\\1UUID')"; }
describe_queries() {
    echo "SELECT database, $(inner table) AS t, name, type, position, default_kind, default_expression, compression_codec, comment FROM system.columns WHERE database NOT IN $SYS ORDER BY database, t, position, type, default_expression, comment"
    echo ";;"
    echo "SELECT database, $(inner name) AS n, engine, engine_full, partition_key, sorting_key, primary_key, sampling_key, comment FROM system.tables WHERE database NOT IN $SYS ORDER BY database, n, engine_full, comment"
    echo ";;"
    echo "SELECT 'function', name, create_query FROM system.functions WHERE origin = 'SQLUserDefined' ORDER BY name"
    echo ";;"
}

# The inserts, then every table's rows, sorted as text (AggregateFunction
# states cannot be ORDER BY keys). Not TimeSeries tables (chDB 26.5: no
# SELECT, no INSERT, 48) nor their inner tables, which stay empty.
rows() { # DB-DIR INSERTS
    "$CHDB" -l "$1" < "$2"
    echo "SELECT database || '.' || name FROM system.tables WHERE database NOT IN $SYS AND engine NOT LIKE '%View' AND engine != 'TimeSeries' AND name NOT LIKE '.inner_id.%' ORDER BY 1" |
        "$CHDB" -l "$1" > "$1.tables"
    while read -r t; do
        echo "SELECT '$t', * FROM $t FORMAT TSV"
        echo ";;"
    done < "$1.tables" | "$CHDB" "$1" | LC_ALL=C sort
}

# import -> check -> build -> mvrun on the empty chDB DB, then its
# columns, tables and, after the inserts, rows against the raw DDL's
# ($W/raw, whose describe and rows are in $W/raw.describe and raw.rows).
deployed_as_raw() { # W MVD-DIR DB-DIR INSERTS -> 0, or 1 with $W/why
    local w=$1 mvd=$2 db=$3
    if ! "$MVDC" check "$mvd" > "$w/why" 2>&1; then echo "check" > "$w/what"; return 1; fi
    if ! "$MVDC" build --no-previous -o "$mvd.plan.sql" "$mvd" > "$w/why" 2>&1; then echo "build" > "$w/what"; return 1; fi
    if ! "$MVRUN" --url "chdb:$db" "$mvd.plan.sql" > "$w/why" 2>&1; then echo "mvrun" > "$w/what"; return 1; fi
    describe_queries | "$CHDB" "$db" > "$db.describe" 2>&1
    if ! diff -u "$w/raw.describe" "$db.describe" > "$w/why"; then echo "columns and tables differ: raw vs imported" > "$w/what"; return 1; fi
    rows "$db" "$4" > "$db.rows" 2>&1
    if ! diff -u "$w/raw.rows" "$db.rows" > "$w/why"; then echo "rows differ: raw vs imported" > "$w/what"; return 1; fi
}

# What two imports of the same objects must share: every declaration's
# first line and lineage, declarations in any order (a server lists its
# objects by name, a chain in the order it made them). With `exact` in
# the chain's folder, every line of every declaration.
# A file import writes `CREATE TABLE x AS y` as `table x as y` (x follows
# y); a server keeps no trace of AS, so --url lists x's columns: outside
# `exact` chains both read as `table x (`.
declarations() { # MVD-DIR EXACT
    cat "$1"/*.mvd | sed -E 's/^(table [^ ]+) as [^ ]+$/\1 (/' | awk -v exact="$2" '
        /^$/ { if (d != "") print d; d = ""; next }
        exact || d == "" || /^ *(pulls_from|pushes_to) / { d = d (d == "" ? "" : " | ") $0 }
        END { if (d != "") print d }' | LC_ALL=C sort
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
    # The same objects read back from the server the raw DDL made.
    local url_ok=1
    "$MVDC" import -o "$w/url" --clickhouse 26.5 --url "chdb:$w/raw" > "$w/url.out" 2>&1 || url_ok=0
    describe_queries | "$CHDB" "$w/raw" > "$w/raw.describe" 2>&1
    rows "$w/raw" "$dir/inserts.txt" > "$w/raw.rows" 2>&1
    if grep -q '^ERROR' "$w/raw.rows"; then fail "$name (inserts fail on the raw DDL)" "$w/raw.rows"; return; fi
    if [ "$(grep -c . "$w/raw.rows")" -lt 1 ]; then fail "$name (no rows to compare)"; return; fi
    if deployed_as_raw "$w" "$w/mvd" "$w/mvd.db" "$dir/inserts.txt"; then
        pass "$name (round trip on chDB: $(grep -c . "$w/raw.describe") column/table/function lines, $(grep -c . "$w/raw.rows") rows identical)"
    else
        fail "$name ($(cat "$w/what"))" "$w/why"
    fi
    local exact=; [ -f "$dir/exact" ] && exact=1
    if [ "$url_ok" = 0 ]; then fail "$name/url (import --url)" "$w/url.out"; return; fi
    declarations "$w/mvd" "$exact" > "$w/file.decls"
    declarations "$w/url" "$exact" > "$w/url.decls"
    if ! diff -u "$w/file.decls" "$w/url.decls" > "$w/diff"; then fail "$name/url (import --url declares other objects than the file import)" "$w/diff"; return; fi
    if deployed_as_raw "$w" "$w/url" "$w/url.db" "$dir/inserts.txt"; then
        pass "$name/url (import --url chdb: $(grep -c . "$w/url.decls") declarations as the file import${exact:+, line for line}; deployed: columns, tables, rows identical)"
    else
        fail "$name/url ($(cat "$w/what"))" "$w/why"
    fi
}

# On 18.16 (tests/engines/ch18.sh), for a chain with a `ch18` file: the
# raw DDL on a fresh server, then import --url of it must declare what the
# file import declares (line for line with `exact`), and check and build.
server18() { # NAME DIR
    local name=$1 dir=$2 w=$TMP/$1.18 url
    mkdir -p "$w"
    if ! url=$(bash tests/engines/ch18.sh start "$w/server" 2> "$w/start.err"); then
        fail "$name/url-18.16 (the 18.16 server does not start)" "$w/start.err"; return
    fi
    find "$dir" -name '*.sql' ! -name '*.down.sql' | LC_ALL=C sort | while read -r f; do
        python3 - "$f" "$url" <<'PY' >> "$w/raw.apply" 2>&1
import re, sys, urllib.request
text = re.sub(r"--[^\n]*", "", open(sys.argv[1]).read())
for stmt in filter(str.strip, text.split(";")):
    try:
        urllib.request.urlopen(sys.argv[2], stmt.encode()).read()
    except Exception as e:
        print("ERROR", stmt.strip().splitlines()[0], e.read().decode() if hasattr(e, "read") else e)
PY
    done
    local exact=; [ -f "$dir/exact" ] && exact=1
    if grep -q '^ERROR' "$w/raw.apply"; then fail "$name/url-18.16 (the raw DDL fails on 18.16)" "$w/raw.apply"
    elif ! "$MVDC" import -o "$w/url" --url "$url" > "$w/url.out" 2>&1; then fail "$name/url-18.16 (import --url)" "$w/url.out"
    elif ! "$MVDC" import -o "$w/mvd" --clickhouse 18.16 "$dir" > "$w/import.out" 2>&1; then fail "$name/url-18.16 (file import)" "$w/import.out"
    elif ! diff -u <(declarations "$w/mvd" "$exact") <(declarations "$w/url" "$exact") > "$w/diff"; then
        fail "$name/url-18.16 (import --url declares other objects than the file import)" "$w/diff"
    elif ! "$MVDC" check "$w/url" > "$w/check.out" 2>&1 || ! "$MVDC" build --no-previous -o "$w/plan.sql" "$w/url" > "$w/check.out" 2>&1; then
        fail "$name/url-18.16 (check or build)" "$w/check.out"
    else
        pass "$name/url-18.16 (import --url of an 18.16 server: $(declarations "$w/url" "" | wc -l) declarations as the file import${exact:+, line for line}; checks and builds)"
    fi
    # Credentials as mvrun takes them: a wrong password says where it came
    # from, a URL carrying one is refused, neither is ever printed; the
    # right one (user mvd, ch18.sh's) imports.
    local secret="wrong-$RANDOM-secret" rc1 rc2 rc3
    CLICKHOUSE_PASSWORD=$secret "$MVDC" import -o "$w/c1" --url "$url" --user mvd > "$w/cred.out" 2>&1; rc1=$?
    "$MVDC" import -o "$w/c2" --url "http://mvd:mvd-secret@${url#http://}" >> "$w/cred.out" 2>&1; rc2=$?
    CLICKHOUSE_PASSWORD=mvd-secret "$MVDC" import -o "$w/c3" --url "$url" --user mvd --database shop >> "$w/cred.out" 2>&1; rc3=$?
    if [ "$rc1" = 2 ] && [ "$rc2" = 2 ] && [ "$rc3" = 0 ] && grep -q 'password from \$CLICKHOUSE_PASSWORD' "$w/cred.out" \
        && grep -q 'must not carry a user or password' "$w/cred.out" && ! grep -q "$secret\|mvd-secret" "$w/cred.out" \
        && diff -r "$w/url" "$w/c3" > /dev/null; then
        pass "$name/url-18.16-credentials (wrong password: exit 2, says where it came from; URL with one: refused; none printed)"
    else
        echo "exit statuses $rc1 $rc2 $rc3" >> "$w/cred.out"; fail "$name/url-18.16-credentials" "$w/cred.out"
    fi
    bash tests/engines/ch18.sh stop "$w/server" > /dev/null 2>&1
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

chain() { # NAME DIR
    [ -d "$2/expected" ] && golden "$1" "$2"
    [ -f "$2/inserts.txt" ] && [ -z "${GOLDEN_ONLY:-}" ] && roundtrip "$1" "$2"
    [ -f "$2/ch18" ] && [ -z "${GOLDEN_ONLY:-}" ] && server18 "$1" "$2"
}

# The chains are independent (a folder, a chDB and a server each), so
# three run at once; their lines are printed in the chains' order.
names=()
for dir in tests/import/chains/*/; do
    name=$(basename "$dir")
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    names+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n; done
    chain "$name" "$dir" > "$TMP/$name.out" 2>&1 &
done
wait
for name in "${names[@]}"; do cat "$TMP/$name.out"; done
