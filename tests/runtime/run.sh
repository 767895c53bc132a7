#!/usr/bin/env bash
# mvrun's tests, against the real engines, which the scripts start and stop
# themselves: a ClickHouse 18.16 server (tests/engines/ch18.sh, in a
# temporary directory), chDB (data in a temporary directory), the 18.16
# loopback cluster, and tests/runtime/fake_ch.py for the answers neither
# gives over HTTP here (newer servers' exception header and framing, a
# proxy's 503, TLS).
#
#   [RUNTIME_JOBS=4] [CHDB_LANES=2] bash tests/runtime/run.sh
#
# 1. plan_test: the plan reader, release and ASan;
# 2. then, in lanes that run at once (RUNTIME_JOBS at a time, each with its
#    own engines): transport_test, the transports (release; valgrind and
#    ASan without chDB, whose dlopen crashes under ASan); mvrun_test.py,
#    bin/mvrun end to end on every engine (the chDB tests shared by
#    CHDB_LANES lanes), and a subset again with build/asan/mvrun (18.16,
#    the cluster, and the chunked fills on chDB over HTTP,
#    tests/runtime/chdb_http.py) and under valgrind (18.16).
# Prints `PASS name` / `FAIL name` lines, then `N passed, N failed`; exits
# 1 when anything failed. Everything started is stopped on exit, failure
# and interrupt included.
set -uo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
CH18="$ROOT/tests/engines/ch18.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mvd-runtime.XXXXXX")
source tests/direct_python.sh
direct_python "$TMP/python"
FAKE_PID=
PASSED=0
FAILED=0

cleanup() {
    "$CH18" stop "$TMP/ch18" > /dev/null 2>&1
    [ -f "$TMP/fake.pid" ] && kill "$(cat "$TMP/fake.pid")" 2> /dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -40
    return 0
}
# Prints how long the stage just ended took (`# time N s runtime/NAME`).
STAGE=$SECONDS
stage_time() { echo "# time $((SECONDS - STAGE)) s runtime/$1"; STAGE=$SECONDS; }
summary() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; }

# Counts a test binary's PASS/FAIL lines (FAIL details included), each
# name prefixed with LABEL.
count() { # OUT LABEL
    sed "s#^\(PASS\|FAIL\) #\1 $2#" "$1"
    PASSED=$((PASSED + $(grep -c '^PASS' "$1")))
    FAILED=$((FAILED + $(grep -c '^FAIL' "$1")))
}

# ---- Build ------------------------------------------------------------------

if make -s bin/mvrun build/asan/mvrun build/runtime/transport_test build/asan/transport_test \
        build/runtime/plan_test build/asan/plan_test build/engines/chdb_query \
        build/runtime/chdb_slow_threads.so > "$TMP/build.log" 2>&1; then
    pass runtime-build
else
    fail runtime-build "$TMP/build.log"
    summary
    exit 1
fi
stage_time build

# ---- The plan reader --------------------------------------------------------------

build/runtime/plan_test > "$TMP/plan.out" 2>&1
count "$TMP/plan.out" ""
ASAN_OPTIONS=detect_leaks=1 build/asan/plan_test > "$TMP/plan-asan.out" 2>&1
count "$TMP/plan-asan.out" "asan/"

# Every golden plan mvdc writes passes mvrun's own checks (the statement
# is what its header says: the backfill cases' truncate and fill steps
# included), with the independent reader's verdict too.
verify_failed=""
for p in tests/golden/plan/*/plan-v*.sql; do
    bin/mvrun verify "$p" > "$TMP/verify.out" 2>&1 ||
        { verify_failed="$verify_failed $p"; cat "$TMP/verify.out" >> "$TMP/verify.err"; }
done
python3 tests/runtime/mkplan.py check tests/golden/plan/*/plan-v*.sql >> "$TMP/verify.err" 2>&1 || verify_failed=yes
if [ -z "$verify_failed" ]; then pass verify/golden-plans; else fail verify/golden-plans "$TMP/verify.err"; fi
stage_time plan-reader

# ---- Lanes ----------------------------------------------------------------------
#
# Everything below runs as lanes, several at once, each with engines and
# files of its own (output in $TMP/LANE.out): much of the time goes to
# waiting on servers, kills and sleeps. At most $RUNTIME_JOBS (default 4) run at a time, the
# longest first; each lane's output is counted after all have ended, in
# the order they are listed, with its own `# time N s runtime/LANE`.

RUNTIME_JOBS=${RUNTIME_JOBS:-4}
CHDB_LANES=${CHDB_LANES:-2}
LANES=()

# Starts `COMMAND... > $TMP/LANE.out` in the background once fewer than
# $RUNTIME_JOBS lanes run.
lane() { # LANE COMMAND...
    local name=$1
    shift
    while [ "$(jobs -rp | wc -l)" -ge "$RUNTIME_JOBS" ]; do wait -n; done
    LANES+=("$name")
    (
        start=$SECONDS
        "$@" > "$TMP/$name.out" 2>&1
        echo "# time $((SECONDS - start)) s runtime/$name" > "$TMP/$name.time"
    ) &
}

# Counts a lane's PASS/FAIL lines; a lane that printed none (it could not
# start) is one failure of its own.
count_lane() { # LANE
    local name=$1
    count "$TMP/$name.out" ""
    grep -q '^\(PASS\|FAIL\)' "$TMP/$name.out" || fail "$name" "$TMP/$name.out"
    cat "$TMP/$name.time" 2> /dev/null || fail "$name-did-not-end"
}

# The 18.16 server and tests/runtime/fake_ch.py for the transport tests
# (ARGS), which stop with the lane.
start_fake() {
    mkdir -p "$TMP/fake"
    if ! command -v openssl > /dev/null; then
        echo "openssl not found: install Debian's openssl (it makes the test certificate)" > "$TMP/fake.err"
        return 1
    fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$TMP/fake/key.pem" \
        -out "$TMP/fake/cert.pem" > "$TMP/fake.err" 2>&1 || return 1
    python3 tests/runtime/fake_ch.py "$TMP/fake" "$TMP/fake/cert.pem" "$TMP/fake/key.pem" \
        >> "$TMP/fake.err" 2>&1 &
    FAKE_PID=$!
    echo "$FAKE_PID" > "$TMP/fake.pid"
    local i
    for ((i = 0; i < 50; i++)); do
        [ -f "$TMP/fake/ports" ] && break
        kill -0 "$FAKE_PID" 2> /dev/null || return 1
        sleep 0.1
    done
    [ -f "$TMP/fake/ports" ] || return 1
    local http https
    read -r http https < "$TMP/fake/ports"
    ARGS+=(--fake "http://127.0.0.1:$http" "https://127.0.0.1:$https" "$TMP/fake/cert.pem")
}

# The transports, release (chDB too), under valgrind and with ASan, one
# after the other on the same servers. Prints PASS/FAIL lines itself.
transport_lane() {
    PASSED=0 FAILED=0
    trap '"$CH18" stop "$TMP/ch18" > /dev/null 2>&1
          [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2> /dev/null && wait "$FAKE_PID" 2> /dev/null
          rm -f "$TMP/fake.pid"' EXIT
    ARGS=()     # for every run
    if URL=$("$CH18" start "$TMP/ch18" 2> "$TMP/ch18.err"); then
        ARGS+=(--ch18 "$URL" "$TMP/ch18" "$CH18")
    else
        fail ch18-start "$TMP/ch18.err"
    fi
    start_fake || fail fake-server-start "$TMP/fake.err"

    # Release build, every engine. The transport prints nothing itself: its
    # stderr must stay empty (chDB's own complaints included).
    build/runtime/transport_test "${ARGS[@]}" --chdb "$TMP/chdb" > "$TMP/release.out" 2> "$TMP/release.err"
    rc=$?
    count "$TMP/release.out" ""
    [ $rc -le 1 ] || fail "exit-status-$rc" "$TMP/release.err"
    if [ -s "$TMP/release.err" ]; then fail quiet-stderr "$TMP/release.err"; else pass quiet-stderr; fi

    # valgrind: no error and no leak of any kind, on everything but chDB (a
    # 560 MB C++ engine is not ours to audit, and takes minutes there).
    if command -v valgrind > /dev/null; then
        valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
            --error-exitcode=99 build/runtime/transport_test "${ARGS[@]}" \
            > "$TMP/vg.out" 2> "$TMP/vg.err"
        rc=$?
        count "$TMP/vg.out" "valgrind/"
        if [ $rc -le 1 ] && [ ! -s "$TMP/vg.err" ]; then pass valgrind/clean; else fail valgrind/clean "$TMP/vg.err"; fi
    else
        echo "valgrind not found: run \`make deps\`" > "$TMP/vg.err"
        fail valgrind/clean "$TMP/vg.err"
    fi

    # ASan + UBSan (with LeakSanitizer), same tests as valgrind.
    ASAN_OPTIONS=detect_leaks=1:exitcode=98 UBSAN_OPTIONS=print_stacktrace=1 \
        build/asan/transport_test "${ARGS[@]}" > "$TMP/asan.out" 2> "$TMP/asan.err"
    rc=$?
    count "$TMP/asan.out" "asan/"
    if [ $rc -le 1 ] && [ ! -s "$TMP/asan.err" ]; then pass asan/clean; else fail asan/clean "$TMP/asan.err"; fi
}

# mvrun_test.py with ASan+UBSan or under valgrind: the same checks on the
# tests that walk most of mvrun's code.
asan() { ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$@"; }
MVRUN_TEST="python3 tests/runtime/mvrun_test.py"

# mvrun end to end: the chDB tests shared by $CHDB_LANES lanes (default 2),
# each taking the next test when it is free (mvrun's own process does the
# work; the kill tests mostly wait), the 18.16 server with the tests
# that name no engine (golden-plans needs the 18.16 server), the cluster.
mkdir "$TMP/chdb-queue"
for k in $(seq "$CHDB_LANES"); do
    lane "mvrun-chdb-$k" $MVRUN_TEST --engines chdb --without-none --queue "$TMP/chdb-queue"
done
lane mvrun-cluster $MVRUN_TEST --engines cluster --without-none
lane mvrun-ch18 $MVRUN_TEST --engines ch18
# The same program with ASan+UBSan and under valgrind (18.16; chDB cannot
# be loaded under ASan, and under valgrind it takes minutes). The fills by
# chunks (`backfill` and `backfill by`, 26.5 only) with ASan on chDB over
# HTTP (tests/runtime/chdb_http.py).
lane asan-mvrun-chdb asan $MVRUN_TEST --engines chdb --chdb-http \
    --only backfill-chunks-kill,backfill-chunks-partitioned,backfill-by-cutoff-chunks,backfill-chunk-answer-lost,swap-kill,swap-shadow \
    --mvrun build/asan/mvrun --label asan/
# The cluster's own code (every host read and judged, batches, a host
# that does not answer, a backfill MV's waits) under ASan too.
lane asan-mvrun-cluster asan $MVRUN_TEST --engines cluster \
    --only cluster-every-host,cluster-registry-lag,cluster-on-cluster,cluster-password,cluster-server-older,backfill-cluster,cluster-kill-in-batch \
    --mvrun build/asan/mvrun --label asan/
lane transport transport_lane
if command -v valgrind > /dev/null; then
    # Fewer: each run takes seconds under valgrind.
    lane valgrind-mvrun $MVRUN_TEST --engines ch18 --only apply-from-empty,step-fails,stale-lock,drift \
        --label valgrind/ \
        --wrapper "valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
fi
ASAN_TESTS=apply-from-empty,upgrade,forgotten,backfill-new,backfill-progress,preflight,drift,adopt,step-fails,destructive,stale-lock,wrong-password,usage,twenty,restart,proxy,dry-run,server-older,foreign-registry,kill-with-every-record
lane asan-mvrun-ch18 asan $MVRUN_TEST --engines ch18 --only "$ASAN_TESTS" --mvrun build/asan/mvrun --label asan/


wait
for name in "${LANES[@]}"; do count_lane "$name"; done
# The slowest tests, for whoever must keep the suite within its time.
cat "$TMP"/mvrun-*.out | grep -o '^PASS .* ([0-9.]* s)$' | sed 's/^PASS \(.*\) (\([0-9.]*\) s)$/\2 \1/' |
    sort -rn | head -12 | sed 's/^/# slowest /'
stage_time lanes

summary
