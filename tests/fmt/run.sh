#!/usr/bin/env bash
# `mvdc fmt` golden tests (tests/golden/fmt/CASE.mvd -> CASE.expected):
# the formatted text is exactly the expected one, formatting it again
# changes nothing (--check passes), and the formatted project compiles to
# the same plan apart from src= (formatting never changes a hash).
# `--update` rewrites the expected files. Prints PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
MVDC=${MVDC:-$PWD/bin/mvdc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }
plan_body() { sed 's/ src=[^ ]*//; /^-- plan-sha256:/d' "$1"; }

for src in tests/golden/fmt/*.mvd; do
    name=$(basename "$src" .mvd)
    want=tests/golden/fmt/$name.expected
    mkdir -p "$TMP/$name" && cp "$src" "$TMP/$name/$name.mvd"
    "$MVDC" fmt "$TMP/$name/$name.mvd" 2> "$TMP/err" || { fail "fmt/$name: mvdc fmt failed" "$TMP/err"; continue; }
    [ "${1:-}" = --update ] && cp "$TMP/$name/$name.mvd" "$want"
    if ! diff -u "$want" "$TMP/$name/$name.mvd" > "$TMP/diff"; then
        fail "fmt/$name: differs from $name.expected" "$TMP/diff"; continue
    fi
    if ! "$MVDC" fmt --check "$TMP/$name/$name.mvd" > "$TMP/err" 2>&1; then
        fail "fmt/$name: not idempotent" "$TMP/err"; continue
    fi
    "$MVDC" build -o "$TMP/a.sql" "$src" 2> "$TMP/err.a"; ra=$?
    "$MVDC" build -o "$TMP/b.sql" "$TMP/$name/$name.mvd" 2> "$TMP/err.b"; rb=$?
    if [ $ra -ne $rb ]; then
        fail "fmt/$name: the formatted file builds differently (exit $ra vs $rb)" "$TMP/err.b"
    elif [ $ra -eq 0 ] && ! diff <(plan_body "$TMP/a.sql") <(plan_body "$TMP/b.sql") > "$TMP/diff"; then
        fail "fmt/$name: formatting changed the plan" "$TMP/diff"
    else
        pass "fmt/$name"
    fi
    rm -f "$TMP/a.sql" "$TMP/b.sql"
done

# Every project of the examples, the golden plans, the pipelines and the
# runtime tests: formatted, it formats to itself, checks the same, and
# builds the same plan apart from src=.
n=0 bad=0
: > "$TMP/all.err"
for d in examples/*/ tests/golden/plan/*/v*/ tests/pipelines/*/ tests/runtime/projects/*/v*/; do
    ls "$d"*.mvd > /dev/null 2>&1 || continue
    n=$((n + 1)); w=$TMP/all/$n; mkdir -p "$w"; cp "$d"*.mvd "$w/"
    "$MVDC" check "$d" > /dev/null 2>&1; ra=$?
    if ! "$MVDC" fmt "$w" 2> "$TMP/err"; then
        [ $ra = 0 ] && { echo "$d: mvdc fmt failed" >> "$TMP/all.err"; bad=$((bad + 1)); }
        continue
    fi
    "$MVDC" fmt --check "$w" > /dev/null 2>&1 || { echo "$d: not idempotent" >> "$TMP/all.err"; bad=$((bad + 1)); }
    "$MVDC" check "$w" > /dev/null 2>&1; rb=$?
    if [ $ra != $rb ]; then
        echo "$d: mvdc check exits $ra, formatted $rb" >> "$TMP/all.err"; bad=$((bad + 1))
    elif [ $ra = 0 ]; then
        "$MVDC" build --no-previous -o "$w.a.sql" "$d" > /dev/null 2>&1
        "$MVDC" build --no-previous -o "$w.b.sql" "$w" > /dev/null 2>&1
        diff <(plan_body "$w.a.sql") <(plan_body "$w.b.sql") > /dev/null ||
            { echo "$d: formatting changed the plan" >> "$TMP/all.err"; bad=$((bad + 1)); }
    fi
done
if [ $bad = 0 ] && [ $n -gt 50 ]; then pass "fmt/every-project ($n projects)"; else fail "fmt/every-project" "$TMP/all.err"; fi

# A file is rewritten whole or not at all (a temporary file renamed over
# it): through a symbolic link the file it names changes and the link
# stays, its permission bits are kept, and no temporary file is left.
mkdir -p "$TMP/link/real"
cp tests/golden/fmt/messy.mvd "$TMP/link/real/a.mvd" && chmod 640 "$TMP/link/real/a.mvd"
ln -s real/a.mvd "$TMP/link/a.mvd"
if "$MVDC" fmt "$TMP/link/a.mvd" 2> "$TMP/err" && [ -L "$TMP/link/a.mvd" ] &&
    cmp -s "$TMP/link/real/a.mvd" tests/golden/fmt/messy.expected &&
    [ "$(stat -c %a "$TMP/link/real/a.mvd")" = 640 ] && [ "$(ls -A "$TMP/link/real")" = a.mvd ]; then
    pass fmt/rewrite-in-place
else
    ls -la "$TMP/link" "$TMP/link/real" >> "$TMP/err"; fail fmt/rewrite-in-place "$TMP/err"
fi
