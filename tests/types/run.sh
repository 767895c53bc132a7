#!/usr/bin/env bash
# Type agreement: for every expression of exprs.txt, the type mvdc infers
# (mvdc describe of one view selecting them all) against the type chDB
# reports (DESCRIBE of the same SELECT). A wrong type fails, unless
# known-differences.txt lists it with a reason; Unknown (mvdc says it
# cannot tell) is counted but does not fail. Prints PASS/FAIL lines and
# the agreement figure.
set -uo pipefail
cd "$(dirname "$0")/../.."
mvdc=${MVDC:-bin/mvdc}
query=${CHDB_QUERY:-build/engines/chdb_query}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' tests/types/exprs.txt | sed '/^$/d' > "$tmp/exprs"
n=$(wc -l < "$tmp/exprs")

# The project: the fixture and a view with one output per expression.
mkdir -p "$tmp/project"
cp tests/types/fixture.mvd "$tmp/project/"
{
    echo "database types_test;"
    echo "view v pulls_from t as select"
    awk -v n="$n" '{ printf "    %s as e%d%s\n", $0, NR, (NR < n ? "," : "") }' "$tmp/exprs"
    echo "from t;"
} > "$tmp/project/v.mvd"
"$mvdc" describe "$tmp/project" types_test.v > "$tmp/mvdc" 2> "$tmp/mvdc.err"
if [ ! -s "$tmp/mvdc" ]; then
    echo "FAIL types/mvdc-describe"
    sed 's/^/    /' "$tmp/mvdc.err" | head -20
    exit 1
fi

# The engine: the same table with one row of defaults, then toTypeName of
# each expression (the canonical spelling; DESCRIBE pretty-prints tuples).
columns=$(sed -n '/^table t (/,/^)/p' tests/types/fixture.mvd | sed '1d;$d' | tr '\n' ' ' | sed 's/, *$//')
{
    echo "CREATE DATABASE IF NOT EXISTS types_test"
    echo "CREATE TABLE types_test.t ($columns) ENGINE = Memory"
    echo "INSERT INTO types_test.t (u8) SELECT 0"
    awk '{ print "SELECT toTypeName(" $0 ") FROM types_test.t" }' "$tmp/exprs"
} > "$tmp/sql"
"$query" -l "$tmp/chdb" < "$tmp/sql" > "$tmp/engine" 2>&1
# ClickHouse 26 spells named tuples over several lines (escaped as \n in
# TabSeparated); the canonical one-line form is what DDL and mvdc use.
tail -n "$n" "$tmp/engine" | sed 's/(\\n */(/g; s/,\\n */, /g; s/\\n *)/)/g' |
    sed "s/\\\\'/'/g" > "$tmp/engine.types"  # and TSV escapes quotes: \' is '

agree=0 unknown=0 wrong=0
for i in $(seq 1 "$n"); do
    expr=$(sed -n "${i}p" "$tmp/exprs")
    got=$(sed -n "${i}p" "$tmp/mvdc" | cut -f2)
    want=$(sed -n "${i}p" "$tmp/engine.types")
    if [ "$got" = "$want" ]; then
        agree=$((agree + 1))
        echo "PASS types/$i $expr"
    elif [ "$got" = Unknown ]; then
        unknown=$((unknown + 1))
    elif grep -qF "$expr	" tests/types/known-differences.txt; then
        echo "PASS types/$i $expr (known difference)"
    else
        wrong=$((wrong + 1))
        echo "FAIL types/$i $expr: mvdc says $got, chDB says $want"
    fi
done
echo "# types: $agree of $n agree with chDB, $unknown not inferred yet, $wrong wrong"
