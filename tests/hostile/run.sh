#!/usr/bin/env bash
# Hostile input: shapes that once hung or crashed mvdc. Each must end
# within its time limit with a diagnostic or success, never a signal.
#   bash tests/hostile/run.sh [MVDC]
# Prints PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
MVDC=${1:-bin/mvdc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

head_mvd='database d;
table t (a UInt64, s String) engine = MergeTree order by a;
'

# name, want (0 ok, 1 diagnostics), grep pattern or '', seconds, file
expect() {
    local name=$1 want=$2 pattern=$3 secs=$4 file=$5
    timeout "$secs" "$MVDC" check "$file" > "$TMP/out" 2>&1
    local rc=$?
    if [ $rc -ne "$want" ]; then
        echo "FAIL hostile/$name: exit $rc, expected $want (124: timeout, >128: signal)"
        head -c 600 "$TMP/out" | sed 's/^/    /'
    elif [ -n "$pattern" ] && ! grep -q "$pattern" "$TMP/out"; then
        echo "FAIL hostile/$name: no '$pattern' in the output"
        head -c 600 "$TMP/out" | sed 's/^/    /'
    else
        echo "PASS hostile/$name"
    fi
}

chain() { # operator, count
    python3 -c "import sys; print(' $1 '.join(['a'] * $2))"
}

printf '%sview v pulls_from t as SELECT 1 GROUP BY 1;\n' "$head_mvd" > "$TMP/pos1.mvd"
expect positional-group-by-literal 0 '' 10 "$TMP/pos1.mvd"
printf '%sview v pulls_from t as SELECT 1 AS x, count() FROM t GROUP BY x;\n' "$head_mvd" > "$TMP/pos2.mvd"
expect positional-group-by-alias-of-literal 0 '' 10 "$TMP/pos2.mvd"

for op in '+' 'AND' 'OR' '||' '*'; do
    name=$(printf '%s' "$op" | tr '+*|' 'pmc')
    printf '%sview v pulls_from t as SELECT %s AS x FROM t;\n' "$head_mvd" "$(chain "$op" 30000)" > "$TMP/c.mvd"
    expect "chain-30000-$name" 1 'expression too deep' 20 "$TMP/c.mvd"
done
printf '%sview v pulls_from t as SELECT %s AS x FROM t;\n' "$head_mvd" "$(chain + 900)" > "$TMP/c900.mvd"
expect chain-900-plus 0 '' 20 "$TMP/c900.mvd"
printf '%sview v pulls_from t as SELECT %sa%s AS x FROM t;\n' "$head_mvd" \
    "$(python3 -c "print('-' * 0 + 'f(' * 3000)")" "$(python3 -c "print(')' * 3000)")" > "$TMP/nest.mvd"
expect nesting-3000-calls 1 'nesting too deep' 20 "$TMP/nest.mvd"

python3 -c "
print('''$head_mvd''' + 'view v pulls_from t as ' + ' UNION ALL '.join(['SELECT a FROM t'] * 100000) + ';')" > "$TMP/union.mvd"
expect union-all-100000 0 '' 15 "$TMP/union.mvd"

printf 'database d;\ntable n (a UInt64) engine = Null;\ntable j (a UInt64, s String) engine = Join(ANY, LEFT, a);\n' > "$TMP/eng.mvd"
expect engine-null-and-join 0 '' 10 "$TMP/eng.mvd"
cp "$TMP/eng.mvd" "$TMP/eng2.mvd"
if "$MVDC" fmt "$TMP/eng2.mvd" > /dev/null 2>&1; then
    expect engine-null-and-join-after-fmt 0 '' 10 "$TMP/eng2.mvd"
else
    echo "FAIL hostile/engine-null-and-join-after-fmt: mvdc fmt failed"
fi

printf '%sview v pulls_from t as (SELECT a FROM t);\nview w pulls_from t as (SELECT a FROM t) UNION ALL (SELECT a FROM t);\n' "$head_mvd" > "$TMP/paren.mvd"
expect parenthesized-select 0 '' 10 "$TMP/paren.mvd"
