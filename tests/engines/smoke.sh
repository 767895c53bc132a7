#!/usr/bin/env bash
# End-to-end check of both real engines: chDB through chdb_query, one
# ClickHouse 18.16 server over HTTP, and the 18.16 loopback cluster.
# Prints `PASS name` / `FAIL name` (details indented below), `# ` lines
# with timings, and exits 1 when anything failed. Everything it starts is
# stopped and removed on exit, failure and interrupt included.
#
#   bash tests/engines/smoke.sh
#
# CHDB_QUERY names a prebuilt chdb_query; otherwise build/engines/chdb_query
# is (re)built from tests/engines/chdb_query.c when missing or stale.
set -uo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
CH18="$ROOT/tests/engines/ch18.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mvd-smoke.XXXXXX")
FAILED=0

cleanup() {
    "$CH18" stop "$TMP/ch18" > /dev/null 2>&1
    "$CH18" cluster-stop "$TMP/cluster" > /dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | head -20 | sed 's/^/    /'
    return 0
}
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want: $(printf '%q' "$2")"$'\n'"got:  $(printf '%q' "$3")"; fi; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

# ---- chDB -------------------------------------------------------------------

CHQ=${CHDB_QUERY:-$ROOT/build/engines/chdb_query}
chdb_build() {
    [ -n "${CHDB_QUERY:-}" ] && return 0
    local src=tests/engines/chdb_query.c
    if [ ! -x "$CHQ" ] || [ "$src" -nt "$CHQ" ]; then
        mkdir -p "$(dirname "$CHQ")"
        ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror \
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -o "$CHQ" "$src" -ldl 2>&1
    fi
}

# Same pipeline on both engines: a source, a SummingMergeTree target and an
# MV between them; the rows come out of the target.
MV_SQL=(
    "CREATE TABLE src (id UInt64, n UInt64) ENGINE = MergeTree ORDER BY id"
    "CREATE TABLE dst (id UInt64, total UInt64) ENGINE = SummingMergeTree ORDER BY id"
    "CREATE MATERIALIZED VIEW mv TO dst AS SELECT id, sum(n) AS total FROM src GROUP BY id"
    "INSERT INTO src VALUES (1, 10), (1, 5), (2, 7)"
    "SELECT id, sum(total) FROM dst GROUP BY id ORDER BY id"
)
MV_WANT=$'1\t15\n2\t7'

smoke_chdb() {
    local out t0 db=$TMP/chdb
    if ! out=$(chdb_build); then
        fail chdb-build "$out"
        return
    fi
    pass chdb-build
    t0=$(now)
    out=$(echo "SELECT version()" | "$CHQ" -l "$db" 2>&1)
    echo "# chdb: load + connect + first query $(since "$t0")"
    case "$out" in
        26.*) pass chdb-version ;;
        *) fail chdb-version "want 26.x, got: $out" ;;
    esac
    out=$(printf '%s\n' "${MV_SQL[@]}" | "$CHQ" -l "$db" 2>&1)
    check chdb-mv "$MV_WANT" "$out"
    # A second process on the same directory sees the tables.
    out=$(echo "SELECT count() FROM src" | "$CHQ" -l "$db" 2>&1)
    check chdb-persists "3" "$out"
    out=$(printf 'SELECT no_such_column\n;;\nSELECT 1\n' | "$CHQ" "$db" 2>&1)
    case "$out" in
        "ERROR 47 Code: 47."*$'\n1') pass chdb-error-then-continue ;;
        *) fail chdb-error-then-continue "$out" ;;
    esac
}

# ---- ClickHouse 18.16 -------------------------------------------------------

# http URL SQL [CURL_ARGS...]: sets BODY and CODE.
http() {
    local url=$1 sql=$2 out
    shift 2
    out=$(curl -s -m 60 -w '\n%{http_code}' "$@" --data-binary "$sql" "$url/?wait_end_of_query=1")
    CODE=${out##*$'\n'}
    BODY=${out%$'\n'*}
    BODY=${BODY%$'\n'}
}

smoke_ch18() {
    local t0 url sql out
    t0=$(now)
    if ! url=$("$CH18" start "$TMP/ch18" 2>&1); then
        fail ch18-start "$url"
        return
    fi
    echo "# ch18: start $(since "$t0")"
    pass ch18-start
    http "$url" "SELECT version()"
    check ch18-version "200 18.16.1" "$CODE $BODY"
    out=""
    for sql in "${MV_SQL[@]}"; do
        http "$url" "$sql" -u mvd:mvd-secret
        [ "$CODE" = 200 ] || { out="$CODE $BODY (in: $sql)"; break; }
        out=$BODY
    done
    check ch18-mv "$MV_WANT" "$out"
    http "$url" "SELECT 1" -u mvd:wrong
    case "$CODE $BODY" in
        "401 Code: 193,"*) pass ch18-wrong-password ;;
        *) fail ch18-wrong-password "want 401 and Code: 193, got: $CODE $BODY" ;;
    esac
    http "$url" "SELECT 1" -H "X-ClickHouse-User: mvd" -H "X-ClickHouse-Key: mvd-secret"
    check ch18-header-auth "200 1" "$CODE $BODY"
    # Stop and start again: same URL, same data.
    t0=$(now)
    "$CH18" stop "$TMP/ch18"
    echo "# ch18: stop $(since "$t0")"
    t0=$(now)
    out=$("$CH18" start "$TMP/ch18" 2>&1)
    echo "# ch18: restart $(since "$t0")"
    http "$url" "SELECT count() FROM src"
    check ch18-restart "$url 200 3" "$out $CODE $BODY"
    "$CH18" stop "$TMP/ch18"
}

smoke_cluster() {
    local t0 urls u1 u2 rss pids
    t0=$(now)
    if ! urls=$("$CH18" cluster-start "$TMP/cluster" 2>&1); then
        fail cluster-start "$urls"
        return
    fi
    echo "# cluster: start (ZooKeeper, two servers, ON CLUSTER check) $(since "$t0")"
    pass cluster-start
    u1=$(sed -n 1p <<< "$urls")
    u2=$(sed -n 2p <<< "$urls")
    pids="$(cat "$TMP/cluster/zk/pid") $(cat "$TMP/cluster/node1/pid") $(cat "$TMP/cluster/node2/pid")"
    # shellcheck disable=SC2086
    rss=$(ps -o rss= -p ${pids// /,} | awk '{ s += $1 } END { printf "%d MB", s / 1024 }')
    echo "# cluster: resident memory $rss"
    http "$u1" "CREATE DATABASE IF NOT EXISTS smoke ON CLUSTER mvd_test"
    out=$(cut -f1,3 <<< "$BODY" | sort)
    check cluster-on-cluster-ddl "200 127.0.0.1	0
127.0.0.1	0" "$CODE $out"
    http "$u1" "CREATE TABLE smoke.r ON CLUSTER mvd_test (a UInt32) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/smoke/r', '{replica}') ORDER BY a"
    http "$u1" "INSERT INTO smoke.r VALUES (1), (2), (3)"
    http "$u2" "SYSTEM SYNC REPLICA smoke.r"
    http "$u2" "SELECT count() FROM smoke.r"
    check cluster-replication "200 3" "$CODE $BODY"
    t0=$(now)
    "$CH18" cluster-stop "$TMP/cluster"
    echo "# cluster: stop $(since "$t0")"
}

smoke_chdb
smoke_ch18
smoke_cluster
[ -d "$ROOT/.deps" ] && echo "# disk: $(du -sh "$ROOT/.deps" | cut -f1) in .deps"
exit $((FAILED > 0))
