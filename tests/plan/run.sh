#!/usr/bin/env bash
# Golden plan tests (tests/golden/plan/CASE/): sources in, exact plan bytes
# out, then the plans run on real engines.
#
#   CASE/v1/*.mvd, CASE/v2/*.mvd, ...   the sources of each release
#   CASE/plan-v1.sql, plan-v2.sql, ...  the expected plans; v(k) is built
#                                       with --previous plan-v(k-1)
#   CASE/engine                         `chdb` (default) or `18.16`
#   CASE/rows.sql (optional)            statements run after each apply
#                                       (inserts through the MVs); its
#                                       output must match rows-vK.out
#
# For every case: each plan is byte-identical to the golden one (run with
# --update to rewrite them, then review the diff); `mvdc build --check`
# accepts it; on a fresh database of its engine the plans applied in
# order (v1, v2, ...) all succeed, with the guards judged as mvrun does
# (tests/plan/statements.py --state), and a re-run runs nothing; the last
# plan applied to an empty database succeeds too, and leaves
# system.columns equal to its manifest's @column lines.
# Prints PASS/FAIL lines; the engines are started here and stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
MVDC=${MVDC:-$ROOT/bin/mvdc}
CHDB=${CHDB_QUERY:-$ROOT/build/engines/chdb_query}
STMTS="python3 $ROOT/tests/plan/statements.py"
UPDATE=0; [ "${1:-}" = --update ] && UPDATE=1
TMP=$(mktemp -d)
CH18=""
cleanup() { [ -n "$CH18" ] && bash tests/engines/ch18.sh stop "$TMP/ch18" >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }

# run ENGINE DB: statements on stdin, on chDB directory DB or 18.16 database DB
run_on() {
    if [ "$1" = 18.16 ]; then
        if [ -z "$CH18" ]; then CH18=$(bash tests/engines/ch18.sh start "$TMP/ch18") || return 2; fi
        python3 tests/plan/http_query.py "$CH18"
    else
        "$CHDB" "$2"
    fi
}

# The columns a database has, as `@column` lines would list them, per table.
live_columns() { # ENGINE DB DATABASES...
    local engine=$1 db=$2; shift 2
    local list; list=$(printf "'%s'," "$@"); list=${list%,}
    printf "SELECT database || '.' || table, name, type FROM system.columns WHERE database IN (%s) ORDER BY database, table, position\n;;\n" "$list" |
        run_on "$engine" "$db"
}

# The @state lines of the current objects, as live_columns prints them.
manifest_columns() { # PLAN
    python3 - "$1" <<'PY'
import sys
cur = set()
lines = open(sys.argv[1]).read().split("\n")
for l in lines:
    f = l.split(" ")
    if l.startswith("-- @object ") and len(f) >= 5:
        cur.add((f[3], f[4]))
table = None
for l in lines:
    f = l.split(" ")
    if l.startswith("-- @state "):
        table = f[3] if (f[3], f[4]) in cur and f[2] == "table" else None
    elif l.startswith("-- @column ") and table:
        name, typ = l[len("-- @column "):].split(" ", 1)
        print("%s\t%s\t%s" % (table.replace("`", ""), name.strip("`"), typ))
PY
}

run_case() {
    local case=$1 name engine k plan prev versions=() dbs
    name=$(basename "$case")
    engine=chdb; [ -f "$case/engine" ] && engine=$(cat "$case/engine")
    for v in "$case"/v*/; do versions+=("$(basename "$v")"); done
    prev=""
    local ok=1
    for v in "${versions[@]}"; do
        plan="$TMP/$name-plan-$v.sql"
        rm -f "$plan"
        [ -n "$prev" ] && cp "$prev" "$plan"
        if ! (cd "$case" && "$MVDC" build -o "$plan" --summary=md "$v" > "$TMP/summary.md" 2> "$TMP/err"); then
            fail "plan/$name/$v: mvdc build failed" "$TMP/err"; return
        fi
        if [ $UPDATE = 1 ]; then cp "$plan" "$case/plan-$v.sql"; cp "$TMP/summary.md" "$case/summary-$v.md"; fi
        if [ -f "$case/summary-$v.md" ] && ! diff -u "$case/summary-$v.md" "$TMP/summary.md" > "$TMP/diff"; then
            fail "plan/$name/$v: --summary=md differs from summary-$v.md" "$TMP/diff"; ok=0
        fi
        if ! diff -u "$case/plan-$v.sql" "$plan" > "$TMP/diff" 2>&1; then
            fail "plan/$name/$v: differs from plan-$v.sql" "$TMP/diff"; ok=0
        elif ! (cd "$case" && "$MVDC" build --check -o "$plan" "$v" 2> "$TMP/err"); then
            fail "plan/$name/$v: mvdc build --check refuses its own plan" "$TMP/err"; ok=0
        else
            pass "plan/$name/$v"
        fi
        prev=$plan
    done
    [ $ok = 1 ] || return
    # Upgrades on a real engine, release by release.
    local db="$TMP/db-$name" state="$TMP/state-$name.json"
    dbs=$(grep -h '^-- @object database ' "$case"/plan-*.sql | cut -d' ' -f4 | sort -u)
    if [ "$engine" = 18.16 ]; then db=x; for d in $dbs; do printf 'DROP DATABASE IF EXISTS %s\n;;\n' "$d" | run_on 18.16 x >/dev/null; done; fi
    rm -f "$state"
    for v in "${versions[@]}"; do
        if ! $STMTS "$case/plan-$v.sql" --state "$state" | run_on "$engine" "$db" > "$TMP/out" 2>&1 || grep -q '^ERROR' "$TMP/out"; then
            fail "plan/$name/$v: applying it after the previous release fails on $engine" "$TMP/out"; return
        fi
        if [ -f "$case/rows.sql" ]; then
            run_on "$engine" "$db" < "$case/rows.sql" > "$TMP/rows" 2>&1
            if ! diff -u "$case/rows-$v.out" "$TMP/rows" > "$TMP/diff" 2>&1; then
                [ $UPDATE = 1 ] && cp "$TMP/rows" "$case/rows-$v.out"
                fail "plan/$name/$v: rows through the MVs differ from rows-$v.out" "$TMP/diff"; return
            fi
        fi
        if [ -n "$($STMTS "$case/plan-$v.sql" --state "$state")" ]; then
            fail "plan/$name/$v: a re-run would still run steps"; return
        fi
    done
    pass "plan/$name: upgrades ${versions[*]} apply on $engine and converge"
    # The newest plan from nothing.
    local last="${versions[${#versions[@]}-1]}"
    db="$TMP/fresh-$name"; rm -f "$state"
    if [ "$engine" = 18.16 ]; then db=x; for d in $dbs; do printf 'DROP DATABASE IF EXISTS %s\n;;\n' "$d" | run_on 18.16 x >/dev/null; done; fi
    if ! $STMTS "$case/plan-$last.sql" --state "$state" | run_on "$engine" "$db" > "$TMP/out" 2>&1 || grep -q '^ERROR' "$TMP/out"; then
        fail "plan/$name/$last: fails on an empty $engine database" "$TMP/out"; return
    fi
    # shellcheck disable=SC2086
    live_columns "$engine" "$db" $dbs | sed 's/`//g' > "$TMP/live"
    manifest_columns "$case/plan-$last.sql" | sort > "$TMP/want"
    grep -F -f <(cut -f1 "$TMP/want" | sort -u | sed 's/$/\t/') "$TMP/live" | sort > "$TMP/got"
    if diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"; then
        pass "plan/$name/$last: empty $engine database gets the declared columns"
    else
        fail "plan/$name/$last: system.columns differ from the manifest" "$TMP/diff"
    fi
}

for case in tests/golden/plan/*/; do
    [ -d "$case/v1" ] && run_case "${case%/}"
done
