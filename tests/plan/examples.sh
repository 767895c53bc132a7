#!/usr/bin/env bash
# The example projects (examples/README.md): their committed plans are
# what the sources give, and they upgrade on a real engine.
#
# For every examples/NAME with a first release in examples/NAME/.releases/v1:
#   - `mvdc build --check` accepts .releases/v1/plan.sql, plan.sql built
#     with --previous .releases/v1/plan.sql, and plan.sql as its own
#     previous plan (the next build of unchanged sources changes nothing);
#   - on chDB, v1's plan then the current one apply (guards judged by
#     tests/plan/statements.py --state), each followed by sample rows and
#     queries of the MVs' targets (tests/golden/examples/NAME/rows-vK.sql,
#     output rows-vK.out), and a re-run runs nothing;
#   - the current plan alone builds everything on an empty chDB.
#
#   examples.sh [--update]   --update rewrites the plans and rows-vK.out
#
# Prints PASS/FAIL lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CHDB=${CHDB_QUERY:-$ROOT/build/engines/chdb_query}
STMTS="python3 $ROOT/tests/plan/statements.py"
UPDATE=0; [ "${1:-}" = --update ] && UPDATE=1

# Builds (or with --update, rebuilds) and checks the committed plans.
check_plans() { # NAME
    local ex=examples/$1 v1=examples/$1/.releases/v1
    if [ $UPDATE = 1 ]; then
        rm -f "$v1/plan.sql" "$ex/plan.sql"
        "$MVDC" build -o "$v1/plan.sql" "$v1" && "$MVDC" build --previous "$v1/plan.sql" -o "$ex/plan.sql" "$ex"
    fi
    if ! "$MVDC" build --check -o "$v1/plan.sql" "$v1" > "$TMP/err" 2>&1; then
        fail "examples/$1: .releases/v1/plan.sql is not what its sources give" "$TMP/err"; return 1
    fi
    if ! "$MVDC" build --check --previous "$v1/plan.sql" -o "$ex/plan.sql" "$ex" > "$TMP/err" 2>&1; then
        fail "examples/$1: plan.sql is not what the sources give after v1" "$TMP/err"; return 1
    fi
    if ! "$MVDC" build --check -o "$ex/plan.sql" "$ex" > "$TMP/err" 2>&1; then
        fail "examples/$1: a build from plan.sql itself changes it" "$TMP/err"; return 1
    fi
    if ! $STMTS "$v1/plan.sql" --check 2> "$TMP/err" || ! $STMTS "$ex/plan.sql" --check 2> "$TMP/err"; then
        fail "examples/$1: the independent reader refuses a plan" "$TMP/err"; return 1
    fi
    pass "examples/$1: committed plans are up to date"
}

# Applies PLAN on chDB DB with the guards in STATE; then ROWS (if given)
# whose output must be WANT; then checks that a re-run runs nothing.
apply() { # LABEL PLAN DB STATE [ROWS WANT]
    local label=$1 plan=$2 db=$3 state=$4 rows=${5:-} want=${6:-}
    # (--rerun: what the same again would run, from the same process)
    if ! $STMTS "$plan" --state "$state" --rerun "$TMP/rerun" | "$CHDB" "$db" > "$TMP/out" 2>&1 ||
        grep -q '^ERROR' "$TMP/out"; then
        fail "$label: the plan fails on chDB" "$TMP/out"; return 1
    fi
    if [ -n "$rows" ]; then
        "$CHDB" "$db" < "$rows" > "$TMP/rows" 2>&1
        if [ $UPDATE = 1 ]; then
            cp "$TMP/rows" "$want"
        elif ! diff -u "$want" "$TMP/rows" > "$TMP/diff" 2>&1; then
            fail "$label: sample rows through the MVs differ from $(basename "$want")" "$TMP/diff"; return 1
        fi
    fi
    if [ -s "$TMP/rerun" ]; then
        fail "$label: a re-run would still run steps"; return 1
    fi
}

run_example() { # NAME
    local name=$1 ex=examples/$1 golden=tests/golden/examples/$1
    check_plans "$name" || return
    apply "examples/$name/v1" "$ex/.releases/v1/plan.sql" "$TMP/db-$name" "$TMP/state-$name.json" \
        "$golden/rows-v1.sql" "$golden/rows-v1.out" || return
    apply "examples/$name/v2" "$ex/plan.sql" "$TMP/db-$name" "$TMP/state-$name.json" \
        "$golden/rows-v2.sql" "$golden/rows-v2.out" || return
    pass "examples/$name: v1 then the current plan apply on chDB, rows flow through the MVs"
    apply "examples/$name/fresh" "$ex/plan.sql" "$TMP/fresh-$name" "$TMP/fresh-$name.json" || return
    pass "examples/$name: the current plan builds an empty chDB database"
}

for ex in examples/*/; do
    [ -d "$ex/.releases/v1" ] && run_example "$(basename "$ex")"
done
