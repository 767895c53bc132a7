#!/usr/bin/env bash
# Type agreement: for every expression of exprs.txt, the type mvdc infers
# against the type a real ClickHouse reports with toTypeName, on two
# engines: chDB (ClickHouse 26.x, always) and the Debian ClickHouse 18.16
# server (started and stopped here, with tests/engines/ch18.sh).
#
# Each engine has its fixture (fixture.mvd, fixture-18.mvd): the table the
# expressions read, created on the engine with one row of defaults, and the
# same declaration for mvdc with `option clickhouse` set to the engine's
# version. An expression the engine refuses is left out for that engine
# (18.16 lacks many functions); on chDB that is a FAIL, the corpus is wrong.
#
#   same type                          PASS
#   mvdc says Unknown                  counted, not a failure (no false errors)
#   a different type                   FAIL, unless known-differences.txt lists
#                                      ENGINE<TAB>EXPRESSION<TAB>REASON
#   mvdc reports an error on the view  FAIL (a false error: the engine accepts it)
#
# The last lines give the agreement figure per engine. TYPES_ENGINES
# (default "chdb ch18") chooses the engines.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
mvdc=${MVDC:-bin/mvdc}
query=${CHDB_QUERY:-build/engines/chdb_query}
engines=${TYPES_ENGINES:-chdb ch18}
tmp=$(mktemp -d)
ch18_dir=$tmp/ch18
trap 'bash "$root/tests/engines/ch18.sh" stop "$ch18_dir" > /dev/null 2>&1; rm -rf "$tmp"' EXIT

grep -v '^#' tests/types/exprs.txt | sed '/^$/d' > "$tmp/exprs"
n=$(wc -l < "$tmp/exprs")

fixture_of() { [ "$1" = ch18 ] && echo tests/types/fixture-18.mvd || echo tests/types/fixture.mvd; }

# The fixture's column list, as one line of DDL.
columns_of() {
    sed -n '/^table t (/,/^)/p' "$1" | sed '1d;$d' | sed 's/ *--.*//' | tr '\n' ' ' | sed 's/, *$//'
}

# ---- The engines: "R<i><TAB>type" for each expression they accept ----

# TSV escapes: named tuples come over several lines (\n), quotes as \'.
unescape() { sed 's/(\\n */(/g; s/,\\n */, /g; s/\\n *)/)/g' | sed "s/\\\\'/'/g"; }

engine_chdb() {
    {
        echo "CREATE DATABASE IF NOT EXISTS types_test"
        echo "CREATE TABLE types_test.t ($(columns_of "$(fixture_of chdb)")) ENGINE = Memory"
        echo "INSERT INTO types_test.t (u8) SELECT 0"
        echo "SELECT 'V', version()"
        awk '{ print "SELECT '"'"'R" NR "'"'"', toTypeName(" $0 ") FROM types_test.t" }' "$tmp/exprs"
    } > "$tmp/chdb.sql"
    "$query" -l "$tmp/chdb" < "$tmp/chdb.sql" 2>&1 | unescape > "$tmp/chdb.out"
}

engine_ch18() {
    local url i expr
    if ! url=$(bash tests/engines/ch18.sh start "$ch18_dir" 2> "$tmp/ch18.err"); then
        echo "FAIL types/ch18/server"
        sed 's/^/    /' "$tmp/ch18.err"
        return 1
    fi
    url="$url/?allow_experimental_low_cardinality_type=1"
    curl -sf "$url" --data-binary "CREATE TABLE default.t ($(columns_of "$(fixture_of ch18)")) ENGINE = Memory" > /dev/null
    curl -sf "$url" --data-binary "INSERT INTO default.t (u8) VALUES (0)" > /dev/null
    {
        printf 'V\t%s\n' "$(curl -sf "$url" --data-binary 'SELECT version()')"
        i=0
        while IFS= read -r expr; do
            i=$((i + 1))
            curl -s "$url" --data-binary "SELECT 'R$i', toTypeName($expr) FROM default.t" | grep "^R$i	"
        done < "$tmp/exprs"
    } | unescape > "$tmp/ch18.out"
    bash tests/engines/ch18.sh stop "$ch18_dir" > /dev/null 2>&1
}

# ---- mvdc: one view selecting every expression the engine accepts ----

infer_mvdc() { # engine version
    local engine=$1 version=$2 dir=$tmp/$1.project
    mkdir -p "$dir"
    { echo "option clickhouse = '$version';"; cat "$(fixture_of "$engine")"; } > "$dir/fixture.mvd"
    cut -f1 "$tmp/$engine.types" > "$tmp/$engine.ids"
    {
        echo "database types_test;"
        echo "view v pulls_from t as select"
        awk -F'\t' 'NR == FNR { want[$1] = 1; next } want["R" FNR] { print FNR "\t" $0 }' \
            "$tmp/$engine.ids" "$tmp/exprs" |
            awk -F'\t' '{ line[NR] = "    " $2 " as e" $1 } END { for (i = 1; i <= NR; i++) print line[i] (i < NR ? "," : "") }'
        echo "from t;"
    } > "$dir/v.mvd"
    (cd "$dir" && "$root/$mvdc" describe . types_test.v > "$tmp/$engine.mvdc" 2> "$tmp/$engine.diag")
    # Errors on the view are false errors: the engine accepted every expression.
    if grep -q '^v.mvd:[0-9]*:[0-9]*: error\[' "$tmp/$engine.diag"; then
        echo "FAIL types/$engine/no-false-errors"
        grep -A3 '^v.mvd:[0-9]*:[0-9]*: error\[' "$tmp/$engine.diag" | head -40 | sed 's/^/    /'
    else
        echo "PASS types/$engine/no-false-errors"
    fi
}

# ---- Comparing ----

compare() { # engine
    local engine=$1 i expr want got agree=0 unknown=0 wrong=0 known=0 total=0 refused=0 version
    version=$(grep -m1 '^V	' "$tmp/$engine.out" | cut -f2)
    grep '^R[0-9]*	' "$tmp/$engine.out" > "$tmp/$engine.types"
    if [ -z "$version" ]; then
        echo "FAIL types/$engine/engine"
        head -5 "$tmp/$engine.out" | sed 's/^/    /'
        return
    fi
    infer_mvdc "$engine" "$(echo "$version" | cut -d. -f1-2)"
    for i in $(seq 1 "$n"); do
        expr=$(sed -n "${i}p" "$tmp/exprs")
        want=$(grep -m1 "^R$i	" "$tmp/$engine.types" | cut -f2)
        if [ -z "$want" ]; then
            refused=$((refused + 1))
            [ "$engine" = chdb ] && echo "FAIL types/$engine/$i $expr: the engine refuses it (fix exprs.txt)"
            continue
        fi
        total=$((total + 1))
        got=$(grep -m1 "^e$i	" "$tmp/$engine.mvdc" | cut -f2)
        if [ "$got" = "$want" ]; then
            agree=$((agree + 1))
            echo "PASS types/$engine/$i $expr"
        elif [ "$got" = Unknown ] || [ -z "$got" ]; then
            unknown=$((unknown + 1))
        elif grep -qF "$engine	$expr	" tests/types/known-differences.txt; then
            known=$((known + 1))
            echo "PASS types/$engine/$i $expr (known difference)"
        else
            wrong=$((wrong + 1))
            echo "FAIL types/$engine/$i $expr: mvdc says $got, $engine says $want"
        fi
    done
    echo "# types $engine (ClickHouse $version): $agree of $total agree, $unknown not inferred, $known known differences, $wrong wrong; $refused of $n expressions not supported by this engine"
}

for engine in $engines; do
    "engine_$engine" && compare "$engine"
done
