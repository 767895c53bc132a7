#!/usr/bin/env bash
# tests/bench/run.sh BIN_DIR -- the benchmark behind `make bench`.
#
# Generates projects of 1k, 10k and 100k objects (tests/bench/genproject.c),
# times `BIN_DIR/mvdc check` on each (tests/bench/measure.c) and prints a
# table plus the issue's targets as PASS/MISS.  A benchmark reports, it does
# not assert: a MISS never fails the run.  The exit status is non-zero only
# when mvdc itself fails on a generated project (which is a bug in mvdc or
# in the generator, either way something to fix), or on a usage error.
#
# Environment (all optional):
#   BENCH_SIZES  object counts to run        (default "1000 10000 100000")
#   BENCH_RUNS   runs per size, best kept    (default 5)
#   BENCH_PARTS  which parts to run          (default "check types build mvrun backfill")
#   BENCH_BACKFILL_ROWS  source rows for the backfill part (default 20000000)
#   BENCH_CHUNKS_ROWS    source rows for its fill by chunks on chDB (default 300000000)
#   BENCH_CHUNK_ROWS     chunk sizes there, comma-separated, the first judged: `default`
#                        is mvrun's own (1G rows: one chunk), a number its --chunk-rows
#                        (default "default,100000000": also 3 chunks of 100M rows)
#   BENCH_DIR    work dir: tools + projects  (default $TMPDIR/mvd-bench-$UID)
#   CC           C compiler for the tools    (default cc)
set -euo pipefail
shopt -s inherit_errexit  # a failing generator inside $(...) must stop the run

readonly TARGET_OBJECTS=100000
readonly TARGET_MS=2000      # "100k objects checked in under 2 s"
readonly TARGET_MEM_X=10     # "memory under 10x the source size"
readonly TYPED_MVS=10000     # "10k MVs with 10-column selects type-check in under 1 s"
readonly TYPED_MS=1000

die() {
    printf 'run.sh: %s\n' "$*" >&2
    exit 2
}

[[ $# -eq 1 ]] || die "usage: tests/bench/run.sh BIN_DIR"
[[ -x "$1/mvdc" ]] || die "$1/mvdc not found or not executable (run make first)"
BIN_DIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZES=${BENCH_SIZES:-"1000 10000 100000"}
RUNS=${BENCH_RUNS:-5}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/mvd-bench-$(id -u)}
CC=${CC:-cc}
TOOLS=$WORK/tools
PROJECTS=$WORK/projects
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mvd-bench-run.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# ---- tools -----------------------------------------------------------------

# Rebuilt every run: both compile in well under a second, and a stale
# binary would silently benchmark an old generator.
build_tools() {
    mkdir -p "$TOOLS"
    local tool
    for tool in genproject gentyped measure; do
        "$CC" -std=c11 -O2 -Wall -Wextra -Werror \
            -o "$TOOLS/$tool" "$HERE/$tool.c"
    done
}

# The generator's identity: a project is reused only when it was written by
# exactly this source with exactly these arguments.
generator_version() {
    cksum <"$HERE/${1:-genproject}.c" | cut -d' ' -f1
}

# ---- projects --------------------------------------------------------------

# Prints the project directory for N objects, generating it when the stamp
# beside it does not match (generation of 100k takes about a second, but
# reuse keeps the page cache warm and the numbers comparable).
project_dir() {
    local n=$1 dir="$PROJECTS/$1" want
    want="genproject $(generator_version) $n"
    if [[ ! -d $dir || "$(cat "$dir.stamp" 2>/dev/null)" != "$want" ]]; then
        rm -rf "$dir" "$dir.stamp"
        mkdir -p "$PROJECTS"
        "$TOOLS/genproject" "$n" "$dir"
        printf '%s\n' "$want" >"$dir.stamp"
    fi
    printf '%s\n' "$dir"
}

count_files() {
    find "$1" -type f -name '*.mvd' | wc -l
}

source_bytes() {
    find "$1" -type f -name '*.mvd' -print0 | xargs -0 cat | wc -c
}

# ---- timing ----------------------------------------------------------------

# A failed or noisy mvdc invalidates the numbers: report and stop.  Any
# diagnostic counts, warnings included, because the generated projects are
# meant to be clean.
check_clean() {
    local what=$1 code=$2 out=$3 err=$4
    if [[ $code -eq 0 ]] && ! grep -qE '(error|warning)\[' "$out" "$err"; then
        return 0
    fi
    local why="exit $code"
    [[ $code -eq 0 ]] && why="exit 0 but it printed diagnostics"
    printf 'run.sh: %s failed (%s); first 20 lines of its stderr:\n' \
        "$what" "$why" >&2
    head -n 20 "$err" >&2
    if [[ ! -s $err ]]; then
        printf '(stderr empty; first 20 lines of stdout:)\n' >&2
        head -n 20 "$out" >&2
    fi
    exit 1
}

# measure_best LABEL CMD...: runs CMD $RUNS times and sets BEST_MS and
# BEST_KIB to the fastest run's wall time and that same run's peak RSS.
measure_best() {
    local label=$1 i line ms kib code
    shift
    BEST_MS='' BEST_KIB=''
    for ((i = 1; i <= RUNS; i++)); do
        : >"$SCRATCH/m"
        "$TOOLS/measure" -o "$SCRATCH/m" "$label" -- "$@" \
            >"$SCRATCH/out" 2>"$SCRATCH/err"
        line=$(tail -n 1 "$SCRATCH/m")
        IFS=$'\t' read -r _ ms kib code <<<"$line"
        check_clean "$label" "$code" "$SCRATCH/out" "$SCRATCH/err"
        if [[ -z $BEST_MS || $ms -lt $BEST_MS ]]; then
            BEST_MS=$ms BEST_KIB=$kib
        fi
    done
}

# ---- report ----------------------------------------------------------------

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# One table row; later steps (build, mvrun) print theirs with it too.
row() { printf '%-8s %-6s %-11s %-9s %-9s %s\n' "$@"; }

bench_check() {
    local n dir files bytes
    row objects files source_MiB check_ms peak_MiB mem/source
    for n in $SIZES; do
        dir=$(project_dir "$n")
        files=$(count_files "$dir")
        bytes=$(source_bytes "$dir")
        measure_best "mvdc check ($n objects)" "$BIN_DIR/mvdc" check "$dir"
        row "$n" "$files" "$(mib "$bytes")" "$BEST_MS" \
            "$(mib $((BEST_KIB * 1024)))" \
            "$(ratio $((BEST_KIB * 1024)) "$bytes")x"
        if [[ $n -eq $TARGET_OBJECTS ]]; then
            TARGET_ROW_MS=$BEST_MS
            TARGET_ROW_X=$(ratio $((BEST_KIB * 1024)) "$bytes")
            TARGET_ROW_MEM_OK=$((BEST_KIB * 1024 < TARGET_MEM_X * bytes))
        fi
    done
}

# 10k MVs, each selecting 10 columns through typed functions, aggregate
# states and combinators into a target of exactly those types
# (tests/bench/gentyped.c): the time the type checker adds to a check.
typed_dir() {
    local dir="$PROJECTS/typed-$TYPED_MVS" want
    want="gentyped $(generator_version gentyped) $TYPED_MVS"
    if [[ ! -d $dir || "$(cat "$dir.stamp" 2>/dev/null)" != "$want" ]]; then
        rm -rf "$dir" "$dir.stamp"
        mkdir -p "$PROJECTS"
        "$TOOLS/gentyped" "$TYPED_MVS" "$dir"
        printf '%s\n' "$want" >"$dir.stamp"
    fi
    printf '%s\n' "$dir"
}

bench_types() {
    local dir bytes
    dir=$(typed_dir)
    bytes=$(source_bytes "$dir")
    measure_best "mvdc check ($TYPED_MVS typed MVs)" "$BIN_DIR/mvdc" check "$dir"
    printf '\n'
    row "typed" MVs source_MiB check_ms peak_MiB mem/source
    row "" "$TYPED_MVS" "$(mib "$bytes")" "$BEST_MS" "$(mib $((BEST_KIB * 1024)))" \
        "$(ratio $((BEST_KIB * 1024)) "$bytes")x"
    TYPED_ROW_MS=$BEST_MS
}

# mvdc build from nothing, against sha256sum over the same source bytes
# (the floor for anything that reads and hashes them), and 100k against
# 10k (linear: within 12x for 10x the objects).
bench_build() {
    local n dir bytes build_ms sha_ms
    printf '\n'
    row objects plan_MiB build_ms sha256sum peak_MiB build/sha256sum
    for n in $SIZES; do
        dir=$(project_dir "$n")
        find "$dir" -type f -name '*.mvd' -print0 | sort -z | xargs -0 cat > "$SCRATCH/all.mvd"
        measure_best "sha256sum ($n objects)" sha256sum "$SCRATCH/all.mvd"
        sha_ms=$BEST_MS
        # From the project's directory, as its CI would run it: src= paths
        # are then the project's own, not the bench directory's.
        measure_best "mvdc build ($n objects)" sh -c 'rm -f "$1" && cd "$3" && exec "$2" build -o "$1" .' sh \
            "$SCRATCH/plan.sql" "$BIN_DIR/mvdc" "$dir"
        build_ms=$BEST_MS
        bytes=$(wc -c < "$SCRATCH/plan.sql")
        row "$n" "$(mib "$bytes")" "$build_ms" "$sha_ms" "$(mib $((BEST_KIB * 1024)))" \
            "$(ratio "$build_ms" "$((sha_ms > 0 ? sha_ms : 1))")x"
        [[ $n -eq 10000 ]] && BUILD_10K_MS=$build_ms BUILD_10K_X=$(ratio "$build_ms" "$((sha_ms > 0 ? sha_ms : 1))")
        [[ $n -eq 100000 ]] && BUILD_100K_MS=$build_ms
        rm -f "$SCRATCH/all.mvd" "$SCRATCH/plan.sql"
    done
    if [[ -n ${BUILD_10K_MS:-} ]]; then
        printf 'build targets: 10k objects in under 0.3 s: %s (%s ms); within 10x sha256sum: %s (%sx)' \
            "$(verdict $((BUILD_10K_MS < 300)))" "$BUILD_10K_MS" \
            "$(verdict "$(awk -v x="$BUILD_10K_X" 'BEGIN { print (x <= 10) }')")" "$BUILD_10K_X"
        if [[ -n ${BUILD_100K_MS:-} ]]; then
            printf '; 100k within 12x of 10k: %s (%sx)' \
                "$(verdict $((BUILD_100K_MS <= 12 * BUILD_10K_MS)))" "$(ratio "$BUILD_100K_MS" "$BUILD_10K_MS")"
        fi
        printf '\n'
    fi
}

# ---- mvrun ------------------------------------------------------------------

# The generated project made fit for ClickHouse 18.16 (tests/bench/project18.sh).
project_for_18() { # SRC DST
    bash "$HERE/project18.sh" "$1" "$2"
}

# measure_once LABEL CMD...: sets ONE_MS and ONE_OUT (the command's stdout).
measure_once() {
    local label=$1 line code
    shift
    : >"$SCRATCH/m"
    "$TOOLS/measure" -o "$SCRATCH/m" "$label" -- "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    line=$(tail -n 1 "$SCRATCH/m")
    IFS=$'\t' read -r _ ONE_MS _ code <<<"$line"
    if [[ $code -ne 0 ]]; then
        printf 'run.sh: %s failed (exit %s):\n' "$label" "$code" >&2
        tail -n 20 "$SCRATCH/err" >&2
        exit 1
    fi
    ONE_OUT=$(cat "$SCRATCH/out")
}

json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# mvrun on a 1k-object plan against a ClickHouse 18.16 server started here:
# a fresh apply against the same statements piped through
# `clickhouse-client --multiquery` (the floor: one statement after the
# other, nothing else), a converged re-run, and the seed approach (every
# view dropped and created again, with a registry query and insert, on
# every deploy). Best of BENCH_RUNS, each from an empty server.
bench_mvrun() {
    local n=${BENCH_MVRUN_OBJECTS:-1000} ch18 url port plan stmts seed r
    local client_ms='' fresh_ms='' fresh_req='' again_ms='' again_req='' seed_ms='' seed_req='' seed2_ms=''
    ch18="$(cd "$HERE/../engines" && pwd)/ch18.sh"
    if [[ ! -x /usr/sbin/clickhouse-server || -z "$(command -v clickhouse-client)" ]]; then
        printf '\nmvrun: skipped (clickhouse-server and clickhouse-client 18.16 are needed: make deps)\n'
        return
    fi
    [[ -x "$BIN_DIR/mvrun" ]] || die "$BIN_DIR/mvrun not found (run make first)"
    project_for_18 "$(project_dir "$n")" "$SCRATCH/p18"
    plan=$SCRATCH/plan18.sql
    "$BIN_DIR/mvdc" build -o "$plan" "$SCRATCH/p18" >"$SCRATCH/out" 2>"$SCRATCH/err" \
        || { cat "$SCRATCH/err" >&2; die "mvdc build failed on the 18.16 project"; }
    stmts=$SCRATCH/statements.sql
    seed="python3 $HERE/seed_apply.py"
    $seed statements "$plan" "$stmts"
    url=$("$ch18" start "$SCRATCH/ch18") || die "cannot start ClickHouse 18.16"
    trap '"$ch18" stop "$SCRATCH/ch18" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
    port=$(cat "$SCRATCH/ch18/tcp_port")
    for ((r = 1; r <= RUNS; r++)); do
        $seed reset "$url" "$plan"
        measure_once "clickhouse-client --multiquery" sh -c 'exec clickhouse-client --port "$1" --multiquery < "$2"' \
            sh "$port" "$stmts"
        [[ -z $client_ms || $ONE_MS -lt $client_ms ]] && client_ms=$ONE_MS
        $seed reset "$url" "$plan"
        measure_once "mvrun fresh" "$BIN_DIR/mvrun" --url "$url" --json "$plan"
        [[ -z $fresh_ms || $ONE_MS -lt $fresh_ms ]] && fresh_ms=$ONE_MS
        fresh_req=$(json_field requests <<<"$ONE_OUT")
        measure_once "mvrun converged" "$BIN_DIR/mvrun" --url "$url" --json "$plan"
        [[ -z $again_ms || $ONE_MS -lt $again_ms ]] && again_ms=$ONE_MS
        again_req=$(json_field requests <<<"$ONE_OUT")
        $seed reset "$url" "$plan"
        measure_once "seed approach" $seed apply "$url" "$plan"
        [[ -z $seed_ms || $ONE_MS -lt $seed_ms ]] && seed_ms=$ONE_MS
        seed_req=$ONE_OUT
        measure_once "seed approach again" $seed apply "$url" "$plan"
        [[ -z $seed2_ms || $ONE_MS -lt $seed2_ms ]] && seed2_ms=$ONE_MS
    done
    "$ch18" stop "$SCRATCH/ch18" >/dev/null 2>&1
    trap 'rm -rf "$SCRATCH"' EXIT
    local steps
    steps=$(grep -c '^-- @step ' "$plan")
    printf '\nmvrun: %s objects (%s statements) on ClickHouse 18.16, best of %s runs\n' "$n" "$steps" "$RUNS"
    mrow() { printf '%-34s %-9s %-9s %s\n' "$@"; }
    mrow what ms requests vs_floor
    mrow "clickhouse-client --multiquery" "$client_ms" "$steps" "1.00x"
    mrow "mvrun, fresh" "$fresh_ms" "$fresh_req" "$(ratio "$fresh_ms" "$client_ms")x"
    mrow "mvrun, converged re-run" "$again_ms" "$again_req" ""
    mrow "seed approach, fresh" "$seed_ms" "$seed_req" "$(ratio "$seed_ms" "$client_ms")x"
    mrow "seed approach, re-run" "$seed2_ms" "$seed_req" "(every view dropped and made again)"
    printf 'mvrun targets: fresh within 1.1x of the floor: %s (%sx); converged re-run in at most 5 requests: %s (%s) and under 0.5 s: %s (%s ms)\n' \
        "$(verdict "$(awk -v a="$fresh_ms" -v b="$client_ms" 'BEGIN { print (a <= 1.1 * b) }')")" \
        "$(awk -v a="$fresh_ms" -v b="$client_ms" 'BEGIN { printf "%.2f", a / b }')" \
        "$(verdict $((again_req <= 5)))" "$again_req" "$(verdict $((again_ms < 500)))" "$again_ms"
}

# mvrun's backfill step against the raw `INSERT INTO target SELECT` of the
# same statement on the same 18.16 server (tests/bench/backfill_bench.py).
bench_backfill() {
    local ch18 url
    ch18="$(cd "$HERE/../engines" && pwd)/ch18.sh"
    if [[ ! -x /usr/sbin/clickhouse-server ]]; then
        printf '\nbackfill: skipped (clickhouse-server 18.16 is needed: make deps)\n'
        return
    fi
    [[ -x "$BIN_DIR/mvrun" ]] || die "$BIN_DIR/mvrun not found (run make first)"
    url=$("$ch18" start "$SCRATCH/ch18bf") || die "cannot start ClickHouse 18.16"
    trap '"$ch18" stop "$SCRATCH/ch18bf" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
    python3 "$HERE/backfill_bench.py" "$BIN_DIR" "$url" "$SCRATCH" \
        "${BENCH_BACKFILL_ROWS:-20000000}" "$RUNS" || die "the backfill bench failed"
    "$ch18" stop "$SCRATCH/ch18bf" >/dev/null 2>&1
    trap 'rm -rf "$SCRATCH"' EXIT
}

# The fill by chunks (resumable, 26.5: MOVE PARTITION TO TABLE) against the
# raw statement on chDB (tests/bench/backfill_chunks_bench.py).
bench_backfill_chunks() {
    local tool=${CHDB_QUERY:-$HERE/../../build/engines/chdb_query}
    if [[ ! -x $tool ]]; then
        printf '\nbackfill by chunks: skipped (%s is needed: make build/engines/chdb_query)\n' "$tool"
        return
    fi
    mkdir -p "$SCRATCH/bfchunks"
    python3 "$HERE/backfill_chunks_bench.py" "$BIN_DIR" "$tool" "$SCRATCH/bfchunks" \
        "${BENCH_CHUNKS_ROWS:-300000000}" "${BENCH_CHUNK_ROWS:-default,100000000}" "$RUNS" \
        || die "the backfill by chunks bench failed"
}

verdict() { # verdict OK?  ->  PASS or MISS
    if [[ $1 -eq 1 ]]; then printf PASS; else printf MISS; fi
}

print_targets() {
    local cores time_v mem_v
    cores=$(nproc 2>/dev/null || echo '?')
    if [[ -z ${TARGET_ROW_MS:-} ]]; then
        printf 'targets: n/a (%s objects not in BENCH_SIZES)\n' "$TARGET_OBJECTS"
        return
    fi
    time_v=$(verdict "$((TARGET_ROW_MS < TARGET_MS))")
    mem_v=$(verdict "$TARGET_ROW_MEM_OK")
    printf 'targets: 100k objects checked in under 2 s on this %s-core machine: %s (%s ms); ' \
        "$cores" "$time_v" "$TARGET_ROW_MS"
    printf 'memory under 10x the source size: %s (%sx)\n' "$mem_v" "$TARGET_ROW_X"
}

print_typed_target() {
    printf 'targets: %s MVs with 10-column selects type-checked in under 1 s: %s (%s ms)\n' \
        "$TYPED_MVS" "$(verdict "$((TYPED_ROW_MS < TYPED_MS))")" "$TYPED_ROW_MS"
}

main() {
    build_tools
    printf 'mvdc bench: %s/mvdc, best of %s runs, %s cores, projects in %s\n\n' \
        "$BIN_DIR" "$RUNS" "$(nproc 2>/dev/null || echo '?')" "$PROJECTS"
    local parts=" ${BENCH_PARTS:-check types build mvrun backfill} "
    [[ $parts == *" check "* ]] && bench_check
    [[ $parts == *" types "* ]] && bench_types
    [[ $parts == *" build "* ]] && bench_build
    [[ $parts == *" mvrun "* ]] && bench_mvrun
    [[ $parts == *" backfill "* ]] && bench_backfill && bench_backfill_chunks

    printf '\n'
    [[ $parts == *" check "* ]] && print_targets
    [[ $parts == *" types "* ]] && print_typed_target
    return 0
}

main
