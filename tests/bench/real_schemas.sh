#!/usr/bin/env bash
# Real schemas through mvdc import, measured against the raw DDL on chDB.
#
#   tests/bench/real_schemas.sh NAME DIR [IMPORT-OPTION...]
#
# DIR is a folder of one project's ClickHouse DDL (its migration chain, or
# its schema file), as the project keeps it; nothing of it is committed.
# The raw DDL is applied to one empty chDB (ON CLUSTER removed, the Down
# half of goose files left out, ${VAR} replaced from the --define options);
# import -> check -> build -> mvrun to another. Then both get the same
# generated rows (generateRandom, fixed seed) in every table an MV reads
# (a column whose default calls now() is read as NULL: the two runs are
# seconds apart), and the script prints one table row:
#
#   | NAME | objects | import: not imported | check: errors by check |
#   | build | deploy | columns identical | rows identical |
#
# and leaves the details in $OUT (default /tmp/real_schemas/NAME).
# CHECK_MVDC=path runs check and build with another mvdc (e.g. a branch
# with other checker fixes) on what this one imported.
set -uo pipefail
NAME=$1 DIR=$2
shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MVDC=$ROOT/bin/mvdc CHECKER=${CHECK_MVDC:-$ROOT/bin/mvdc} MVRUN=$ROOT/bin/mvrun CHDB=$ROOT/build/engines/chdb_query
OUT=${OUT:-/tmp/real_schemas/$NAME}
rm -rf "$OUT" && mkdir -p "$OUT"
SYS="('system', 'INFORMATION_SCHEMA', 'information_schema', '_mvd')"

# --define NAME=VALUE options, for the raw side's ${NAME} and ?NAME.
DEFINES=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[i]}" = --define ] && DEFINES+="${args[i + 1]}"$'\n'
    [ "${args[i]}" = --database ] && USE_DB=${args[i + 1]}
done
export DEFINES
substitute() {
    perl -pe 'BEGIN { for (split /\n/, $ENV{DEFINES}) { /^([^=]+)=(.*)$/ and $d{$1} = $2 } }
              s/\$\{(\w+)\}/exists $d{$1} ? $d{$1} : "\${$1}"/ge; s/\?(\w+)/exists $d{$1} ? $d{$1} : "?$1"/ge'
}

raw_stream() {
    find "$DIR" -name '*.sql' ! -name '*.down.sql' | LC_ALL=C sort | while read -r f; do
        awk 'tolower($0) ~ /^-- *\+goose +down/ {skip = 1} tolower($0) ~ /^-- *\+goose +up/ {skip = 0} !skip' "$f" |
            substitute | sed -E -e 's/^--migration:split/;/' -e "s/ON CLUSTER +('[^']*'|\"[^\"]*\"|[A-Za-z0-9_{}]+)//Ig" |
            awk '{print} /;[[:space:]]*$/ {print ";;"; open = 0; next} /[^[:space:]]/ {open = 1} END {if (open) print ";;"}'
    done
}

describe() {
    printf '%s\n;;\n%s\n;;\n' \
        "SELECT database, table, name, type, position, default_kind, default_expression, compression_codec, comment FROM system.columns WHERE database NOT IN $SYS ORDER BY database, table, position" \
        "SELECT database, name, engine, engine_full, partition_key, sorting_key, primary_key, sampling_key, comment FROM system.tables WHERE database NOT IN $SYS ORDER BY database, name" |
        "$CHDB" "$1"
}

# Tables some MV reads, with their insertable columns, from the raw side.
sources() {
    echo "SELECT t.database || '.' || t.name, arrayStringConcat(groupArray(c.name), ', '), arrayStringConcat(groupArray('\`' || c.name || '\` ' || c.type), ', ') FROM system.tables t JOIN system.columns c ON c.database = t.database AND c.table = t.name WHERE t.database NOT IN $SYS AND notEmpty(t.dependencies_table) AND c.default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') GROUP BY t.database, t.name ORDER BY 1" |
        "$CHDB" -l "$OUT/raw" > "$OUT/sources.tsv"
}

rows() {
    while IFS=$'\t' read -r t cols structure; do
        echo "INSERT INTO $t ($cols) SELECT * FROM generateRandom('$structure', 42, 8, 3) LIMIT 200"
        echo ";;"
    done < "$OUT/sources.tsv" | "$CHDB" "$1" > "$1.inserts" 2>&1
    # A column whose default calls now() (a row's version, its arrival
    # time) differs between the two runs by the seconds between them: it
    # is read as NULL on both.
    echo "SELECT c.database || '.' || c.table, arrayStringConcat(arrayMap(x -> x.2, arraySort(groupArray((c.position, if(c.default_expression ILIKE '%now%', 'NULL', '\`' || c.name || '\`'))))), ', ') FROM system.columns c JOIN system.tables t ON t.database = c.database AND t.name = c.table WHERE c.database NOT IN $SYS AND t.engine NOT LIKE '%View' AND c.default_kind NOT IN ('MATERIALIZED', 'ALIAS', 'EPHEMERAL') GROUP BY 1 ORDER BY 1" |
        "$CHDB" -l "$1" > "$1.tables"
    while IFS=$'\t' read -r t cols; do
        printf "SELECT '%s', %s FROM %s FORMAT TSV\n;;\n" "$t" "$cols" "$t"
    done < "$1.tables" | "$CHDB" "$1" 2>&1 | LC_ALL=C sort
}

"$MVDC" import -o "$OUT/mvd" --clickhouse 26.5 "$@" "$DIR" > "$OUT/import.out" 2>&1
# Schema files often leave CREATE DATABASE to the application: the
# databases import found are made first on the raw side too.
for f in "$OUT"/mvd/*.mvd; do
    [ -e "$f" ] && printf 'CREATE DATABASE IF NOT EXISTS `%s`\n;;\n' "$(basename "$f" .mvd)"
done > "$OUT/raw.sql"
[ -n "${USE_DB:-}" ] && printf 'CREATE DATABASE IF NOT EXISTS `%s`\n;;\nUSE `%s`\n;;\n' "$USE_DB" "$USE_DB" >> "$OUT/raw.sql"
raw_stream >> "$OUT/raw.sql"
"$CHDB" "$OUT/raw" < "$OUT/raw.sql" > "$OUT/raw.apply" 2>&1
raw_errors=$(grep -c '^ERROR' "$OUT/raw.apply")
objects=$(echo "SELECT engine LIKE '%View' ? (engine = 'View' ? 'views' : 'MVs') : 'tables', count() FROM system.tables WHERE database NOT IN $SYS GROUP BY 1 ORDER BY 1" |
          "$CHDB" -l "$OUT/raw" | awk '{printf "%s%s %s", sep, $2, $1; sep = ", "}')

not_imported=$(sed -n 's/.* \([0-9]*\) not imported$/\1/p' "$OUT/import.out")
"$CHECKER" check "$OUT/mvd" > "$OUT/check.out" 2>&1
checks=$(grep -o 'error\[[a-z-]*\]' "$OUT/check.out" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep = ", "}')
build=no deploy=- columns=- same_rows=-
if "$CHECKER" build --no-previous -o "$OUT/plan.sql" "$OUT/mvd" > "$OUT/build.out" 2>&1; then
    build=yes
    if "$MVRUN" --url "chdb:$OUT/mvd.db" "$OUT/plan.sql" > "$OUT/mvrun.out" 2>&1; then deploy=ok; else deploy=failed; fi
fi
if [ "$deploy" = ok ]; then
    describe "$OUT/raw" > "$OUT/raw.describe" 2>&1
    describe "$OUT/mvd.db" > "$OUT/mvd.describe" 2>&1
    if diff "$OUT/raw.describe" "$OUT/mvd.describe" > "$OUT/describe.diff"; then columns=yes
    else columns="no ($(grep -c '^[<>]' "$OUT/describe.diff") lines differ)"; fi
    sources
    rows "$OUT/raw" > "$OUT/raw.rows"
    rows "$OUT/mvd.db" > "$OUT/mvd.rows"
    n=$(grep -c . "$OUT/raw.rows")
    if diff "$OUT/raw.rows" "$OUT/mvd.rows" > "$OUT/rows.diff"; then same_rows="yes ($n rows)"
    else same_rows="no ($(grep -c '^[<>]' "$OUT/rows.diff") lines of $n differ)"; fi
fi
echo "| $NAME | $objects | $raw_errors | ${not_imported:-?} | ${checks:-none} | $build | $deploy | $columns | $same_rows |"
