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
    # Whatever chdb_query's status, compare reports it: a refused
    # expression by its line, an engine that did not load by the missing
    # version.
    return 0
}

engine_ch18() {
    local url
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
        # One connection for every expression (a curl each took minutes).
        python3 - "$url" "$tmp/exprs" <<'PY'
import http.client, sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
for i, expr in enumerate(open(sys.argv[2]).read().splitlines(), 1):
    conn.request("POST", url.path + "?" + url.query, "SELECT 'R%d', toTypeName(%s) FROM default.t" % (i, expr))
    r = conn.getresponse()
    body = r.read().decode()
    if r.status == 200:
        sys.stdout.write("".join(l + "\n" for l in body.splitlines() if l.startswith("R%d\t" % i)))
PY
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
    local engine=$1 version
    version=$(grep -m1 '^V	' "$tmp/$engine.out" | cut -f2)
    grep '^R[0-9]*	' "$tmp/$engine.out" > "$tmp/$engine.types"
    if [ -z "$version" ]; then
        echo "FAIL types/$engine/engine"
        head -5 "$tmp/$engine.out" | sed 's/^/    /'
        return
    fi
    infer_mvdc "$engine" "$(echo "$version" | cut -d. -f1-2)"
    # One awk over the engine's types, mvdc's and the known differences (a
    # few processes per expression took minutes on a loaded machine).
    awk -F'\t' -v engine="$engine" -v version="$version" -v n="$n" '
        FILENAME == ARGV[1] { if (!(substr($1, 2) in want)) want[substr($1, 2)] = $2; next }
        FILENAME == ARGV[2] { if (!(substr($1, 2) in got)) got[substr($1, 2)] = $2; next }
        FILENAME == ARGV[3] { known[$1 "\t" $2] = 1; next }
        {
            i = FNR; expr = $0
            if (!(i in want)) {
                refused++
                if (engine == "chdb") print "FAIL types/" engine "/" i " " expr ": the engine refuses it (fix exprs.txt)"
                next
            }
            total++
            if (got[i] == want[i]) { agree++; print "PASS types/" engine "/" i " " expr }
            else if (got[i] == "Unknown" || got[i] == "") unknown++
            else if ((engine "\t" expr) in known) { knownd++; print "PASS types/" engine "/" i " " expr " (known difference)" }
            else { wrong++; print "FAIL types/" engine "/" i " " expr ": mvdc says " got[i] ", " engine " says " want[i] }
        }
        END {
            printf "# types %s (ClickHouse %s): %d of %d agree, %d not inferred, %d known differences, %d wrong; %d of %d expressions not supported by this engine\n",
                engine, version, agree, total, unknown, knownd, wrong, refused, n
        }' "$tmp/$engine.types" "$tmp/$engine.mvdc" tests/types/known-differences.txt "$tmp/exprs"
}

for engine in $engines; do
    "engine_$engine" && compare "$engine"
done
