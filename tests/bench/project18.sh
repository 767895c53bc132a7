#!/usr/bin/env bash
# project18.sh SRC DST: a project of tests/bench/genproject made fit for
# ClickHouse 18.16 (option clickhouse '18.16'; no LowCardinality,
# SimpleAggregateFunction or TTL, which 18.16 does not have, so the
# aggregating targets become SummingMergeTree): the same objects, the same
# statements otherwise. Used by the benchmark and tests/plan/client.sh.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: project18.sh SRC DST" >&2; exit 2; }
rm -rf "$2"
cp -r "$1" "$2"
printf "option clickhouse = '18.16';\n" > "$2/options.mvd"
find "$2" -name '*.mvd' -print0 | xargs -0 sed -i -E \
    -e 's/LowCardinality\(String\)/String/g' \
    -e 's/SimpleAggregateFunction\((sum|max|min|any|anyLast), *([A-Za-z0-9]+)\)/\2/g' \
    -e 's/AggregatingMergeTree/SummingMergeTree/g' \
    -e 's/^ttl ts \+ interval [0-9]+ day;$/;/' -e '/^ttl ts \+ interval [0-9]+ day$/d'
