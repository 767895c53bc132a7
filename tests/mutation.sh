#!/usr/bin/env bash
# Mutation testing, on demand (not part of `make test`): plants one small
# bug at a time in a copy of the sources, builds it, runs the tests that
# should catch it, and reports each mutant as KILLED (a test failed) or
# SURVIVED (the suite misses it). The working tree is never touched.
#
#   tests/mutation.sh [NAME...]      all mutants, or only those named
#   tests/mutation.sh --list
#
# A mutant is: a name, a file, a literal line (fixed string) and what it
# becomes, and the test command (run from the copy's root). A mutant whose
# line is not found is reported as STALE: the code moved, update it here.
# Takes a few minutes per mutant that needs chDB; the 18.16 ones are quick.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

RT="python3 tests/runtime/mvrun_test.py --engines ch18 --only"
MUTANTS=(
    # name | file | line as it is | line mutated | test
    "lock-release-no-holder-check|runtime/lock.c|    int ours = found == 1 && strcmp(now.token, lock->me.token) == 0;|    int ours = found == 1;|$RT lock-broken-while-running"
    "drift-ignores-types|runtime/judge.c|        if (!c \|\| strcmp(c->type, shape->columns[i].type) != 0)|        if (!c)|$RT drift-by-hand"
    "failed-step-not-recorded|runtime/execute.c|        record_end_of_step(x, s, sr);       /* best effort: the run stops anyway */|        ;|$RT step-fails-then-resumes"
    "statement-header-unchecked|runtime/plan_read.c|    if (stmt_match_step(step, why, sizeof why) != 0 \|\| stmt_match_types(r->plan, step, why, sizeof why) != 0) {|    if (stmt_match_types(r->plan, step, why, sizeof why) != 0) {|make build/runtime/plan_test >/dev/null && build/runtime/plan_test"
    "foreign-lock-taken-as-own|runtime/lock.c|    holder->foreign = found && !(mine && is_token(holder->token));|    holder->foreign = found && !(mine \|\| is_token(holder->token) \|\| 1);|$RT foreign-lock-table-untouched"
    "url-parameter-case-sensitive|common/transport/transport_http.c|            if (strcasecmp(name, *n) == 0)|            if (strcmp(name, *n) == 0)|python3 tests/runtime/mvrun_test.py --engines none --only credentials-never-printed"
    "tls-error-retried|runtime/conn.c|        if (!retryable(res->cls) \|\| res->final \|\| attempt >= c->retry.max_attempts \|\| (c->stop && *c->stop)|        if (!retryable(res->cls) \|\| attempt >= c->retry.max_attempts \|\| (c->stop && *c->stop)|python3 tests/runtime/mvrun_test.py --engines none --only tls-certificate-not-retried"
    "json-raw-bytes|runtime/lock.c|        if (*p < 0x20 \|\| *p >= 0x7f \|\| *p == '\\\\')|        if (0)|$RT hostile-lock-holder"
    "registry-stripelog|runtime/registry.c|        strbuf_puts(sql, \" ENGINE = MergeTree ORDER BY (run, seq)\");|        strbuf_puts(sql, \" ENGINE = StripeLog\");|python3 tests/runtime/mvrun_test.py --engines none --only registry-full-disk"
    "pending-window-short|runtime/registry.c|                   r->conn->hosts ? REGISTRY_PENDING_CLUSTER : REGISTRY_PENDING_ONE);|                   r->conn->hosts ? REGISTRY_PENDING_CLUSTER : REGISTRY_PENDING_ONE - 1);|$RT kill-with-every-record-unwritten"
    "recorder-holds-one-too-many|runtime/recorder.c|    while (!r->failed && r->queued.n + r->in_flight.n >= r->max_unrecorded) {|    while (!r->failed && r->queued.n + r->in_flight.n > r->max_unrecorded) {|$RT kill-with-every-record-unwritten"
    "foreign-history-taken-as-own|runtime/registry_own.c|    if (h && !(history_engine_ok(h->engine) && history_columns_match(h))) {|    if (h && !(history_engine_ok(h->engine) && history_columns_match(h)) && 0) {|$RT foreign-registry-tables-untouched"
    "modify-column-types-unjudged|runtime/plan_read.c|    if (stmt_match_step(step, why, sizeof why) != 0 \|\| stmt_match_types(r->plan, step, why, sizeof why) != 0) {|    if (stmt_match_step(step, why, sizeof why) != 0) {|make build/runtime/plan_test >/dev/null && build/runtime/plan_test"
    "narrowing-taken-as-widening|runtime/type_change.c|        return fu == tu ? wt >= wf : fu && wt > wf;|        return 1;|make build/runtime/plan_test >/dev/null && build/runtime/plan_test"
    "column-name-unquoted|compiler/plan/emit.c|    if (!ast_plain_chars(name, (uint32_t)len)) {|    if (0) {|python3 tests/plan/hostile.py bin/mvdc bin/mvrun build/mutation-hostile"
    "name-control-bytes-raw|compiler/print/print.c|        if (c < 0x20 \|\| c == 0x7f) {|        if (0) {|python3 tests/plan/hostile.py bin/mvdc bin/mvrun build/mutation-hostile"
    "registry-option-unchecked|compiler/project/project.c|    if (slot != &p->options.clickhouse && !option_name_ok(text, slot == &p->options.cluster)) {|    if (slot != &p->options.clickhouse && 0 && !option_name_ok(text, slot == &p->options.cluster)) {|python3 tests/plan/hostile.py bin/mvdc bin/mvrun build/mutation-hostile"
    "diagnostic-bytes-raw|compiler/syntax/diag.c|    put_text(out, s, strlen(s), 0);|    fputs(s, out);|cd tests/golden/check/unknown-object && ../../../../bin/mvdc check control-bytes-in-names.mvd 2>&1 \| diff - control-bytes-in-names.err"
    "fifo-opened|compiler/project/project.c|        if (!S_ISREG(st.st_mode)) {|        if (0) {|bash tests/sources.sh bin/mvdc"
    "symlink-loop-followed|compiler/project/project.c|        if (up->dev[i] == st.st_dev && up->ino[i] == st.st_ino) {|        if (0) {|bash tests/sources.sh bin/mvdc"
)

field() { echo "$1" | awk -v n="$2" 'BEGIN { FS = "[|]" } { gsub(/\\[|]/, "\001"); x = $n; gsub("\001", "|", x); print x }'; }

if [ "${1:-}" = --list ]; then
    for m in "${MUTANTS[@]}"; do field "$m" 1; done
    exit 0
fi

WORK=$ROOT/build/mutation
rm -rf "$WORK" && mkdir -p "$WORK"
# A copy of the tracked files (and the work tree's changes), inside the
# repository so that chDB's library is found above the binaries as usual.
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$WORK")
cd "$WORK" || exit 2
make -j2 bin/mvdc bin/mvrun build/engines/chdb_query > build.log 2>&1 || { echo "the copy does not build: $WORK/build.log"; exit 2; }

killed=0 survived=0 stale=0
for m in "${MUTANTS[@]}"; do
    name=$(field "$m" 1) file=$(field "$m" 2) from=$(field "$m" 3) to=$(field "$m" 4) test=$(field "$m" 5)
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$name"; then continue; fi
    cp "$file" "$file.orig"
    if ! python3 - "$file" "$from" "$to" <<'EOF'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if text.count(old + "\n") != 1:
    sys.exit(1)
open(path, "w").write(text.replace(old + "\n", new + "\n"))
EOF
    then
        echo "STALE $name ($file: the line is not there once)"
        stale=$((stale + 1))
        rm -f "$file.orig"
        continue
    fi
    if ! make -j2 bin/mvdc bin/mvrun > "build-$name.log" 2>&1; then
        echo "KILLED $name (does not build)"
        killed=$((killed + 1))
    elif bash -c "$test" > "test-$name.log" 2>&1 && ! grep -q '^FAIL' "test-$name.log"; then
        echo "SURVIVED $name (test: $test)"
        survived=$((survived + 1))
    else
        echo "KILLED $name ($(grep -m1 '^FAIL' "test-$name.log" || echo 'the test exited non-zero'))"
        killed=$((killed + 1))
    fi
    mv "$file.orig" "$file"
    touch "$file"
done
make -j2 bin/mvdc bin/mvrun > /dev/null 2>&1
echo "$killed killed, $survived survived, $stale stale"
[ $survived -eq 0 ] && [ $stale -eq 0 ]
