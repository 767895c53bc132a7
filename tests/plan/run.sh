#!/usr/bin/env bash
# Golden plan tests (tests/golden/plan/CASE/): sources in, exact plan bytes
# out, then the plans run on real engines.
#
#   CASE/v1/*.mvd, CASE/v2/*.mvd, ...   the sources of each release
#   CASE/plan-v1.sql, plan-v2.sql, ...  the expected plans; v(k) is built
#                                       with --previous plan-v(k-1)
#   CASE/engine                         `chdb` (default), `18.16`,
#                                       `18.16-cluster` (the loopback
#                                       cluster mvd_test: two replicas,
#                                       statements sent to the first), or
#                                       `none` (plans checked, not run)
#   CASE/rows.sql (optional)            statements run after each apply
#                                       (inserts through the MVs); its
#                                       output must match rows-vK.out
#   CASE/rows-vK.sql (optional)         instead of rows.sql after vK
#   CASE/plan-v0.sql (optional, no v0/) a plan an older mvdc wrote (from
#                                       CASE/source-v0/): never rewritten;
#                                       v1 is built with it as the previous
#                                       plan, and the chains start with it
#
# For every case: each plan is byte-identical to the golden one (run with
# --update to rewrite them, then review the diff); `mvdc build --check`
# accepts it; on a fresh database of its engine the plans applied in
# order (v1, v2, ...) all succeed, with the guards judged as mvrun does
# (tests/plan/statements.py --state), and a re-run runs nothing; with
# three releases or more, v1 then the last plan directly (a database
# several releases behind) succeeds and converges too; the last plan
# applied to an empty database succeeds too, and leaves system.columns
# equal to its manifest's @column lines.
#
#   run.sh [--update] [CASE...]     only the named cases when given
#
# Prints PASS/FAIL lines; the engines are started here and stopped on exit.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CHDB=${CHDB_QUERY:-$ROOT/build/engines/chdb_query}
STMTS="python3 $ROOT/tests/plan/statements.py"
ROWS_MARK=mvd-plan-test-rows-follow   # (apply_chain)
UPDATE=0; [ "${1:-}" = --update ] && { UPDATE=1; shift; }
CH18=""
CLUSTER=""   # the first replica's URL
CLUSTER2=""  # the second's
TOP=$TMP     # each lane (below) works in a folder of its own under it
cleanup() {
    [ -d "$TOP/server/ch18" ] && bash tests/engines/ch18.sh stop "$TOP/server/ch18" >/dev/null 2>&1
    [ -d "$TOP/server/cluster" ] && bash tests/engines/ch18.sh cluster-stop "$TOP/server/cluster" >/dev/null 2>&1
    rm -rf "$TOP"
}
trap cleanup EXIT

# run ENGINE DB: statements on stdin, on chDB directory DB, the 18.16
# server or the cluster's first replica (started by start_engine, outside
# any pipeline's subshell)
run_on() {
    if [ "$1" = 18.16 ]; then
        python3 tests/plan/http_query.py "$CH18"
    elif [ "$1" = 18.16-cluster ]; then
        python3 tests/plan/http_query.py "$CLUSTER"
    elif [ "$1" = 18.16-cluster-replica2 ]; then
        python3 tests/plan/http_query.py "$CLUSTER2"
    else
        "$CHDB" "$2"
    fi
}

# The columns a database has, as `@column` lines would list them, per table.
live_columns() { # ENGINE DB DATABASES...
    local engine=$1 db=$2; shift 2
    local list; list=$(printf "'%s'," "$@"); list=${list%,}
    # (18.16's system.columns has no `position`; the comparison sorts anyway;
    # TabSeparated escapes a quote in a type, `DateTime64(3, \'UTC\')`)
    printf "SELECT concat(database, '.', table), name, type FROM system.columns WHERE database IN (%s)\n;;\n" "$list" |
        run_on "$engine" "$db" | sed "s/\\\\'/'/g"
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

# Starts the server or cluster ENGINE needs, once (errors in $TMP/err).
start_engine() { # ENGINE
    if [ "$1" = 18.16 ] && [ -z "$CH18" ]; then
        CH18=$(bash tests/engines/ch18.sh start "$TMP/ch18" 2> "$TMP/err") || return 1
    elif [ "$1" = 18.16-cluster ] && [ -z "$CLUSTER" ]; then
        bash tests/engines/ch18.sh cluster-start "$TMP/cluster" > "$TMP/urls" 2> "$TMP/err" || return 1
        CLUSTER=$(sed -n 1p "$TMP/urls"); CLUSTER2=$(sed -n 2p "$TMP/urls")
    fi
}

run_case() {
    local case=$1 name engine plan prev versions=() dbs
    name=$(basename "$case")
    engine=chdb; [ -f "$case/engine" ] && engine=$(cat "$case/engine")
    for v in "$case"/v*/; do versions+=("$(basename "$v")"); done
    prev=""
    local frozen=""  # a plan of an older mvdc, the first release
    [ -f "$case/plan-v0.sql" ] && [ ! -d "$case/v0" ] && { frozen=v0; prev=$case/plan-v0.sql; }
    local ok=1
    for v in "${versions[@]}"; do
        plan="$TMP/$name-plan-$v.sql"
        rm -f "$plan"
        [ -n "$prev" ] && cp "$prev" "$plan"
        if ! (cd "$case" && "$MVDC" build -o "$plan" --summary=md "$v" > "$TMP/summary.md" 2> "$TMP/err"); then
            fail "plan/$name/$v: mvdc build failed" "$TMP/err"; return
        fi
        if [ $UPDATE = 1 ]; then cp "$plan" "$case/plan-$v.sql"; cp "$TMP/summary.md" "$case/summary-$v.md"; fi
        # The build's warnings, for the cases that keep them (warnings-vK.err).
        if [ -f "$case/warnings-$v.err" ]; then
            [ $UPDATE = 1 ] && cp "$TMP/err" "$case/warnings-$v.err"
            if ! diff -u "$case/warnings-$v.err" "$TMP/err" > "$TMP/diff"; then
                fail "plan/$name/$v: the build's warnings differ from warnings-$v.err" "$TMP/diff"; ok=0
            fi
        fi
        if [ -f "$case/summary-$v.md" ] && ! diff -u "$case/summary-$v.md" "$TMP/summary.md" > "$TMP/diff"; then
            fail "plan/$name/$v: --summary=md differs from summary-$v.md" "$TMP/diff"; ok=0
        fi
        # --summary=json: the same build again from the same previous plan.
        if [ -f "$case/summary-$v.json" ]; then
            rm -f "$TMP/json-plan.sql"; [ -n "$prev" ] && cp "$prev" "$TMP/json-plan.sql"
            (cd "$case" && "$MVDC" build -o "$TMP/json-plan.sql" --summary=json "$v" > "$TMP/summary.json" 2> "$TMP/err")
            if ! diff -u "$case/summary-$v.json" "$TMP/summary.json" > "$TMP/diff" ||
                ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/summary.json" 2>> "$TMP/diff"; then
                fail "plan/$name/$v: --summary=json differs from summary-$v.json" "$TMP/diff"; ok=0
            fi
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
    [ -n "$frozen" ] && versions=("$frozen" "${versions[@]}")
    [ "$engine" = none ] && return
    start_engine "$engine" || { fail "plan/$name: cannot start $engine" "$TMP/err"; return; }
    dbs=$(grep -h '^-- @object database ' "$case"/plan-*.sql | cut -d' ' -f4 | sort -u)
    # Upgrades on a real engine, release by release.
    apply_chain "$case" "$engine" upgrade "${versions[@]}" || return
    pass "plan/$name: upgrades ${versions[*]} apply on $engine and converge"
    local last="${versions[${#versions[@]}-1]}"
    # A database several releases behind: the first release, then the last.
    if [ ${#versions[@]} -ge 3 ]; then
        apply_chain "$case" "$engine" skip "${versions[0]}" "$last" || return
        # shellcheck disable=SC2086
        if same_columns "$case/plan-$last.sql" "$engine" "$DB" $dbs; then
            pass "plan/$name: ${versions[0]} then $last directly applies on $engine and converges"
        else
            fail "plan/$name: ${versions[0]} then $last: system.columns differ from the manifest" "$TMP/diff"
        fi
    fi
    # The newest plan from nothing.
    apply_chain "$case" "$engine" fresh "$last" || return
    # shellcheck disable=SC2086
    if ! same_columns "$case/plan-$last.sql" "$engine" "$DB" $dbs; then
        fail "plan/$name/$last: system.columns differ from the manifest" "$TMP/diff"
    elif [ "$engine" = 18.16-cluster ] && ! same_columns "$case/plan-$last.sql" 18.16-cluster-replica2 x $dbs; then
        fail "plan/$name/$last: the second replica's system.columns differ from the manifest" "$TMP/diff"
    else
        pass "plan/$name/$last: empty $engine database gets the declared columns"
    fi
}

# Applies the case's plans of VERSIONS in order on a fresh database (left
# in $DB), each followed by its rows statements, and checks that a re-run
# would run nothing. The rows' output is compared with rows-vK.out on the
# full chain, rows-v1-vK.out after a skip, and not at all from nothing.
apply_chain() { # CASE ENGINE upgrade|skip|fresh VERSIONS...
    local case=$1 engine=$2 mode=$3 name v rows want state
    name=$(basename "$case"); shift 3
    DB="$TMP/db-$name-$mode"; state="$TMP/state-$name-$mode.json"
    rm -f "$state"
    if [ "$engine" = 18.16 ]; then
        DB=x
        for d in $dbs; do printf 'DROP DATABASE IF EXISTS %s\n;;\n' "$d" | run_on 18.16 x >/dev/null; done
    elif [ "$engine" = 18.16-cluster ]; then
        DB=x
        for d in $dbs; do printf 'DROP DATABASE IF EXISTS %s ON CLUSTER mvd_test\n;;\n' "$d" | run_on "$engine" x >/dev/null; done
    fi
    for v in "$@"; do
        rows=$case/rows.sql; [ -f "$case/rows-$v.sql" ] && rows=$case/rows-$v.sql
        case $mode in
            upgrade) want=$case/rows-$v.out ;;
            skip) want=$case/rows-$1-$v.out; [ "$v" = "$1" ] && want=$case/rows-$v.out ;;
            *) want="" ;;
        esac
        [ -n "$want" ] && [ -f "$rows" ] || rows=""
        # On chDB the rows statements go to the apply's own chdb_query
        # process, after a marker line (each process loads the 560 MB
        # library: one less an apply with rows); the next apply, and
        # same_columns, open the database afresh.
        local with=""; [ "$engine" = chdb ] && with=$rows
        # (--rerun: what the same again would run, from the same process)
        { $STMTS "$case/plan-$v.sql" --state "$state" --rerun "$TMP/rerun" &&
            if [ -n "$with" ]; then printf "SELECT '%s'\n;;\n" "$ROWS_MARK"; cat "$with"; fi; } |
            run_on "$engine" "$DB" > "$TMP/both" 2>&1
        local st=("${PIPESTATUS[@]}") marked=0
        if [ -n "$with" ]; then
            grep -qxF "$ROWS_MARK" "$TMP/both" && marked=1
            awk -v m="$ROWS_MARK" '$0 == m { exit } { print }' "$TMP/both" > "$TMP/out"
            awk -v m="$ROWS_MARK" 'seen { print } $0 == m { seen = 1 }' "$TMP/both" > "$TMP/rows"
        else
            mv "$TMP/both" "$TMP/out"
        fi
        # The apply failed: the reader refused the plan, a statement before
        # the marker failed, or the engine died before it.
        if [ "${st[0]}" != 0 ] || grep -q '^ERROR' "$TMP/out" ||
            { [ -z "$with" ] && [ "${st[1]}" != 0 ]; } || { [ -n "$with" ] && [ $marked = 0 ]; }; then
            fail "plan/$name/$v: applying it ($mode: $*) fails on $engine" "$TMP/out"; return 1
        fi
        if [ -n "$rows" ]; then
            local rc=${st[1]}
            if [ -z "$with" ]; then
                run_on "$engine" "$DB" < "$rows" > "$TMP/rows" 2>&1
                rc=$?
            fi
            if [ "$rc" -gt 1 ]; then # not a statement's error: the engine died (never recorded by --update)
                fail "plan/$name/$v: the rows statements ($mode: $*) ended with exit status $rc on $engine" "$TMP/rows"
                return 1
            elif [ $UPDATE = 1 ]; then
                cp "$TMP/rows" "$want"
            elif ! diff -u "$want" "$TMP/rows" > "$TMP/diff" 2>&1; then
                fail "plan/$name/$v: rows through the MVs ($mode: $*) differ from $(basename "$want")" "$TMP/diff"; return 1
            fi
        fi
        if [ -s "$TMP/rerun" ]; then
            fail "plan/$name/$v: a re-run ($mode: $*) would still run steps"; return 1
        fi
    done
}

# Whether the live columns of the objects PLAN declares are its manifest's.
same_columns() { # PLAN ENGINE DB DATABASES...
    local plan=$1; shift
    live_columns "$@" | sed 's/`//g' > "$TMP/live"
    manifest_columns "$plan" | sort > "$TMP/want"
    grep -F -f <(cut -f1 "$TMP/want" | sort -u | sed 's/$/\t/') "$TMP/live" | sort > "$TMP/got"
    diff -u "$TMP/want" "$TMP/got" > "$TMP/diff"
}

# Three lanes run at once: two share the cases on chDB (each statement
# batch is a chDB process: they keep the cores busy), each taking the next
# case no other has taken, and one runs those on the 18.16 server or
# cluster (mostly waiting on it). Each lane has its own TMP; each case's
# output is kept apart and printed in the cases' order.
run_lane() { # LANE CASES...
    TMP=$TOP/$1
    mkdir -p "$TMP"
    shift
    local case name
    for case in "$@"; do
        name=$(basename "$case")
        mkdir "$TOP/taken-$name" 2> /dev/null || continue
        run_case "$case" > "$TOP/out-$name" 2>&1
    done
}

cases=() local_cases=() server_cases=()
if [ $# -gt 0 ]; then
    for name in "$@"; do cases+=("tests/golden/plan/$name"); done
else
    for case in tests/golden/plan/*/; do [ -d "$case/v1" ] && cases+=("${case%/}"); done
fi
for case in "${cases[@]}"; do
    if grep -qs '^18\.16' "$case/engine"; then server_cases+=("$case"); else local_cases+=("$case"); fi
done
run_lane server "${server_cases[@]}" > "$TOP/server.out" 2>&1 &
run_lane local2 "${local_cases[@]}" > "$TOP/local2.out" 2>&1 &
run_lane local1 "${local_cases[@]}" > "$TOP/local1.out" 2>&1
wait
# (a lane prints nothing itself unless it broke)
cat "$TOP/local1.out" "$TOP/local2.out" "$TOP/server.out"
for case in "${cases[@]}"; do
    name=$(basename "$case")
    if [ -f "$TOP/out-$name" ]; then cat "$TOP/out-$name"; else fail "plan/$name: never run"; fi
done
