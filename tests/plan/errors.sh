#!/usr/bin/env bash
# Releases that must not build (tests/golden/plan-errors/CASE/): v1/
# builds; v2/, built with v1's plan as the previous one, must fail with
# exit status 1, print exactly CASE/expected.err on stderr (run from the
# case's directory, so paths read v2/...), and write no plan.
#
#   errors.sh [--update] [CASE...]
#
# Prints PASS/FAIL lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
UPDATE=0; [ "${1:-}" = --update ] && { UPDATE=1; shift; }

run_case() {
    local case=$1 name rc
    name=$(basename "$case")
    rm -f "$TMP/v1.sql" "$TMP/v2.sql"
    if ! (cd "$case" && "$MVDC" build -o "$TMP/v1.sql" v1 2> "$TMP/err"); then
        fail "plan-errors/$name: v1 does not build" "$TMP/err"; return
    fi
    (cd "$case" && "$MVDC" build --previous "$TMP/v1.sql" -o "$TMP/v2.sql" v2 2> "$TMP/err")
    rc=$?
    [ $UPDATE = 1 ] && cp "$TMP/err" "$case/expected.err"
    if [ $rc -ne 1 ]; then
        echo "exit status $rc, expected 1" >> "$TMP/err"
        fail "plan-errors/$name: v2 must not build" "$TMP/err"
    elif [ -e "$TMP/v2.sql" ]; then
        fail "plan-errors/$name: a plan was written although the build failed"
    elif ! diff -u "$case/expected.err" "$TMP/err" > "$TMP/diff" 2>&1; then
        fail "plan-errors/$name: diagnostics differ from expected.err" "$TMP/diff"
    else
        pass "plan-errors/$name"
    fi
}

if [ $# -gt 0 ]; then
    for name in "$@"; do run_case "tests/golden/plan-errors/$name"; done
else
    for case in tests/golden/plan-errors/*/; do
        [ -d "$case/v2" ] && run_case "${case%/}"
    done
fi
