#!/usr/bin/env bash
# The test suite: every line it prints is `PASS name` or `FAIL name`
# (with details indented below a FAIL), and the last line is the total,
# `N passed, N failed`. Run it through `make test`, which builds what it
# needs first. FUZZ_SECONDS (default 60) bounds the fuzzing run.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
source tests/direct_python.sh
direct_python "$TMP/python"
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -40; }

# Sets VAR to the CPU time (user and system, in hundredths of a second)
# that this shell's waited-for children have used so far: bash's `times`,
# run in this shell (in a subshell, $(...) too, it counts that subshell's).
cpu_cs() { # VAR
    local line re='([0-9]+)m([0-9]+)\.([0-9]+)s ([0-9]+)m([0-9]+)\.([0-9]+)s'
    times > "$TMP/times"
    { read -r line; read -r line; } < "$TMP/times"
    [[ $line =~ $re ]] || { printf -v "$1" 0; return; }
    local r=("${BASH_REMATCH[@]}")
    printf -v "$1" %d $(( (10#${r[1]} + 10#${r[4]}) * 6000 + (10#${r[2]} + 10#${r[5]}) * 100
                          + (10#${r[3]} + 10#${r[6]}) / 10 ))
}

# Runs one part of the suite and prints how long it took and the CPU its
# processes used, `# time N s LABEL (cpu M s)`, so that the log shows where
# the suite's minutes go and whether a part keeps both cores busy (servers
# that a part starts, which outlive their starter, are not in its cpu; a
# `beside` part that ends meanwhile is: bash reaps it then).
timed() { # LABEL COMMAND...
    local label=$1 start=$SECONDS cpu0 cpu1
    shift
    cpu_cs cpu0
    "$@"
    cpu_cs cpu1
    echo "# time $((SECONDS - start)) s $label (cpu $(( (cpu1 - cpu0) / 100 )) s)"
}

# Sections that keep one core busy at most can run beside one another:
# `beside LABEL COMMAND...` starts `timed LABEL COMMAND...` in the
# background, in a subshell with a TMP and counts of its own, its output
# kept; `together` waits for them and prints each one's output in the
# order they were started, adding its counts (a section that did not end
# with its counts is a failure).
BESIDE=()
beside() { # LABEL COMMAND...
    local dir
    dir=$TMP/beside-${#BESIDE[@]}
    BESIDE+=("$1")
    mkdir -p "$dir/tmp"
    (
        TMP=$dir/tmp PASSED=0 FAILED=0
        timed "$@"
        echo "$PASSED $FAILED" > "$dir/counts"
    ) > "$dir/out" 2>&1 &
}
together() {
    wait
    local i p f
    for i in "${!BESIDE[@]}"; do
        cat "$TMP/beside-$i/out"
        if { read -r p f < "$TMP/beside-$i/counts"; } 2> /dev/null; then
            PASSED=$((PASSED + p))
            FAILED=$((FAILED + f))
        else
            fail "${BESIDE[$i]}: did not end with its counts" "$TMP/beside-$i/out"
        fi
        rm -rf "$TMP/beside-$i"
    done
    BESIDE=()
}

# Counts the PASS/FAIL lines another program prints, and shows each FAIL
# with the indented lines that explain it (the first 20 failures), and
# its `# time` and `# slowest` lines.
count_lines() {
    local out=$1
    awk '/^FAIL/ { n++; shown = n <= 20; if (shown) print; next }
         /^# (time|slowest) / { print }
         /^(PASS|#)/ { shown = 0; next }
         shown && /^[ \t]/ { if (++lines[n] <= 40) print }' "$out"
    PASSED=$((PASSED + $(grep -c '^PASS' "$out")))
    FAILED=$((FAILED + $(grep -c '^FAIL' "$out")))
}

# Runs a suite that prints its own PASS/FAIL lines and counts them; a
# suite that prints none (it could not start) is one failure, LABEL.
run_counted() { # LABEL COMMAND...
    local label=$1 out=$TMP/counted.out
    shift
    "$@" > "$out" 2>&1
    count_lines "$out"
    grep -q '^\(PASS\|FAIL\)' "$out" || fail "$label" "$out"
}

run_unit() { # $1 binary, $2 label
    "$1" > "$TMP/unit.out" 2>&1
    local rc=$?
    sed -i "s|^\(PASS\|FAIL\) |\1 $2|" "$TMP/unit.out"
    count_lines "$TMP/unit.out"
    grep -q '^FAIL' "$TMP/unit.out" && grep -v '^PASS' "$TMP/unit.out" | head -40
    [ $rc -eq 0 ] || grep -q '^FAIL' "$TMP/unit.out" || fail "$2exit-status"
}

run_corpus() { # $1 parse_corpus binary, $2 label
    "$1" tests/corpus/select/ok/*.sql > "$TMP/ok.out" 2>&1
    sed -i "s|^\(PASS\|FAIL\) tests/corpus/select/|\1 $2corpus/|" "$TMP/ok.out"
    count_lines "$TMP/ok.out"
    "$1" --expect-error tests/corpus/select/bad/*.sql > "$TMP/bad.out" 2>&1
    sed -i "s|^\(PASS\|FAIL\) tests/corpus/select/|\1 $2corpus/|" "$TMP/bad.out"
    count_lines "$TMP/bad.out"
}

# Golden diagnostics: CASE.mvd (or directory CASE/) beside CASE.err, run
# from the case's directory so that paths print as written there. Each
# case is its own mvdc, so four run at a time; then each is compared.
run_golden() { # $1 mvdc binary, $2 label
    local mvdc=$1 label=$2 out=$TMP/golden-${2%/} err key want rc
    mkdir -p "$out"
    printf '%s\n' tests/golden/check/*/*.err | xargs -P 4 -n 20 bash -c '
        mvdc=$1 out=$2
        shift 2
        for err; do
            dir=${err%/*} name=${err##*/}
            name=${name%.err} src=${name}.mvd
            [ -d "$dir/$name" ] && src=$name
            (cd "$dir" && exec "$mvdc" check "$src" 2> "$out/${err//\//_}" > /dev/null)
            echo $? > "$out/${err//\//_}.rc"
        done' golden "$mvdc" "$out"
    # A case is its .err: a .mvd or a directory without one would never run.
    local case
    for case in tests/golden/check/*/*.mvd tests/golden/check/*/*/; do
        case=${case%/}
        if [ ! -f "${case%.mvd}.err" ]; then
            echo "$case has no ${case%.mvd}.err beside it (an empty .err expects no diagnostics)" > "$TMP/diff"
            fail "$label${case%.mvd}" "$TMP/diff"
        fi
    done
    for err in tests/golden/check/*/*.err; do
        key=$out/${err//\//_}
        rc=none
        [ -f "$key.rc" ] && read -r rc < "$key.rc"
        want=0
        [[ $(< "$err") == *'error['* ]] && want=1
        if ! cmp -s "$err" "$key"; then
            diff -u "$err" "$key" > "$TMP/diff"
            fail "$label${err%.err}" "$TMP/diff"
        elif [ "$rc" != $want ]; then
            echo "exit status $rc, expected $want" > "$TMP/diff"
            fail "$label${err%.err}" "$TMP/diff"
        else
            pass "$label${err%.err}"
        fi
    done
}

# The command line itself: help, usage errors, unreadable input, JSON.
run_cli() {
    local mvdc=$ROOT/bin/mvdc
    expect_status() { # name, status, command...
        local name=$1 want=$2
        shift 2
        "$@" > "$TMP/cli.out" 2>&1
        local rc=$?
        if [ $rc -eq "$want" ]; then pass "cli/$name"; else echo "exit $rc, want $want" >> "$TMP/cli.out"; fail "cli/$name" "$TMP/cli.out"; fi
    }
    expect_status help 0 "$mvdc" --help
    expect_status no-command 2 "$mvdc"
    expect_status unknown-command 2 "$mvdc" frobnicate x
    expect_status unknown-option 2 "$mvdc" check --nope x
    expect_status missing-path 2 "$mvdc" check "$TMP/does-not-exist"
    expect_status no-path 2 "$mvdc" check
    printf 'database d;\ntable t (a UInt8) engine = Log;\nview v pulls_from t as select b from t;\n' > "$TMP/j.mvd"
    "$mvdc" check --diagnostics=json "$TMP/j.mvd" > "$TMP/j.out" 2>&1
    if grep -q '"check":"unknown-column","message":"unknown column '"'"'b'"'"'"' "$TMP/j.out"; then
        pass cli/json
    else
        fail cli/json "$TMP/j.out"
    fi
    # Names holding control and non-UTF-8 bytes: the JSON stays valid, a
    # newline is JSON's \n and a byte that is not UTF-8 the text's \xHH
    # (golden unknown-object/control-bytes-in-names).
    "$mvdc" check --diagnostics=json tests/golden/check/unknown-object/control-bytes-in-names.mvd > "$TMP/jc.out" 2>&1
    if python3 -c 'import json, sys; m = [json.loads(l)["message"] for l in open(sys.argv[1])]; sys.exit(not any("\\xff\\xc3" in x for x in m) or not any("\n" in x for x in m))' "$TMP/jc.out"; then
        pass cli/json-control-bytes
    else
        fail cli/json-control-bytes "$TMP/jc.out"
    fi
    # Distributed and Merge tables read the tables under them (lineage).
    "$mvdc" graph tests/golden/underlying/project.mvd > "$TMP/underlying.dot" 2>&1
    if diff -u tests/golden/underlying/graph.dot "$TMP/underlying.dot" > "$TMP/underlying.diff"; then
        pass cli/graph-underlying
    else
        fail cli/graph-underlying "$TMP/underlying.diff"
    fi
    printf 'database d;\ntable t (a UInt8) engine = Log;\ntable u (a UInt8) engine = Log;\nview v pulls_from t, u as select a from t;\n' > "$TMP/w.mvd"
    expect_status warning-passes 0 "$mvdc" check "$TMP/w.mvd"
    mkdir -p "$TMP/describe"
    for want in tests/golden/describe/*.txt; do
        local object
        object=$(basename "$want" .txt)
        "$mvdc" describe examples/web-analytics "$object" > "$TMP/describe/$object" 2>&1
        if diff -u "$want" "$TMP/describe/$object" > "$TMP/describe.diff"; then
            pass "cli/describe-$object"
        else
            fail "cli/describe-$object" "$TMP/describe.diff"
        fi
    done
    # A Nested column is listed by its fields (tests/golden/describe/nested).
    "$mvdc" describe tests/golden/describe/nested/nested.mvd d.t > "$TMP/describe/nested" 2>&1
    if diff -u tests/golden/describe/nested/d.t.txt "$TMP/describe/nested" > "$TMP/describe.diff"; then
        pass cli/describe-nested
    else
        fail cli/describe-nested "$TMP/describe.diff"
    fi
    "$mvdc" describe --json examples/web-analytics web.daily_countries > "$TMP/describe.json" 2>&1
    if grep -qxF '[{"name":"day","type":"Date"},{"name":"country","type":"LowCardinality(String)"},{"name":"device","type":"LowCardinality(String)"},{"name":"views","type":"SimpleAggregateFunction(sum, UInt64)"},{"name":"mobile","type":"SimpleAggregateFunction(sum, UInt64)"}]' "$TMP/describe.json"; then
        pass cli/describe-json
    else
        fail cli/describe-json "$TMP/describe.json"
    fi
    # An MV with its own column list is described by the list (as DESCRIBE on the server).
    if [ "$("$mvdc" describe tests/golden/plan/mv-column-list/v3 a.url_hits_mv 2>&1 | tr '\t\n' ' ;')" = "url String;hits UInt64;extra UInt8;" ]; then
        pass cli/describe-mv-column-list
    else
        "$mvdc" describe tests/golden/plan/mv-column-list/v3 a.url_hits_mv > "$TMP/describe.mv" 2>&1
        fail cli/describe-mv-column-list "$TMP/describe.mv"
    fi
    expect_status describe-unknown 1 "$mvdc" describe examples/web-analytics nope
    expect_status same-file-twice 0 "$mvdc" check "$TMP/w.mvd" "$TMP/../$(basename "$TMP")/w.mvd"
    expect_status werror-fails 1 "$mvdc" check --werror "$TMP/w.mvd"
    for want in tests/golden/graph/*.dot tests/golden/graph/*.mmd; do
        local project format=dot
        project=$(basename "${want%.*}")
        [ "${want##*.}" = mmd ] && format=mermaid
        "$mvdc" graph --format=$format "examples/$project" > "$TMP/graph.out" 2>&1
        if diff -u "$want" "$TMP/graph.out" > "$TMP/graph.diff"; then
            pass "cli/graph-$project-$format"
        else
            fail "cli/graph-$project-$format" "$TMP/graph.diff"
        fi
    done
    expect_status graph-bad-format 2 "$mvdc" graph --format=svg examples/web-analytics
    expect_status build-bad-summary 2 "$mvdc" build --summary=html examples/web-analytics
    # build --check: a fresh plan passes, a missing or changed one fails.
    "$mvdc" build -o "$TMP/cli-plan.sql" examples/web-analytics > /dev/null 2>&1
    expect_status build-check-fresh 0 "$mvdc" build --check -o "$TMP/cli-plan.sql" examples/web-analytics
    expect_status build-check-missing 1 "$mvdc" build --check -o "$TMP/none.sql" examples/web-analytics
    sed -i 's/^CREATE DATABASE IF NOT EXISTS web;/CREATE DATABASE IF NOT EXISTS webx;/' "$TMP/cli-plan.sql"
    expect_status build-check-edited 1 "$mvdc" build --check -o "$TMP/cli-plan.sql" examples/web-analytics
    # -o somewhere that is not a file: written there, never read as the
    # previous plan nor replaced by one (a pipe: /dev/stdout).
    rm -f "$TMP/cli-ref.sql" && "$mvdc" build -o "$TMP/cli-ref.sql" examples/web-analytics 2> /dev/null
    "$mvdc" build -o /dev/stdout examples/web-analytics 2> "$TMP/cli.err" | cat > "$TMP/cli-stdout.sql"
    if [ -L /dev/stdout ] && cmp -s "$TMP/cli-stdout.sql" "$TMP/cli-ref.sql"; then
        pass cli/build-to-stdout
    else
        ls -la /dev/stdout >> "$TMP/cli.err"; fail cli/build-to-stdout "$TMP/cli.err"
    fi
    # -o - is standard output: the plan goes there and no file named '-'
    # appears (run from an empty directory to see it).
    mkdir -p "$TMP/dash" && (cd "$TMP/dash" && "$mvdc" build -o - "$ROOT/examples/web-analytics" 2> "$TMP/cli.err" > "$TMP/cli-dash.sql" &&
        "$mvdc" build -o /dev/stdout "$ROOT/examples/web-analytics" 2>> "$TMP/cli.err" | cat > "$TMP/cli-dash-ref.sql")
    if [ -s "$TMP/cli-dash.sql" ] && cmp -s "$TMP/cli-dash.sql" "$TMP/cli-dash-ref.sql" && [ -z "$(ls -A "$TMP/dash")" ]; then
        pass cli/build-dash-is-stdout
    else
        ls -la "$TMP/dash" >> "$TMP/cli.err"; fail cli/build-dash-is-stdout "$TMP/cli.err"
    fi
    expect_status build-dash-with-summary 2 "$mvdc" build -o - --summary=md examples/web-analytics
    # Through a symbolic link the file is replaced, the link stays; no
    # temporary file is left behind.
    mkdir -p "$TMP/link" && echo stale > "$TMP/link/real.sql"
    ln -sf real.sql "$TMP/link/plan.sql"
    "$mvdc" build --no-previous -o "$TMP/link/plan.sql" examples/web-analytics > "$TMP/cli.out" 2>&1
    if [ -L "$TMP/link/plan.sql" ] && cmp -s "$TMP/link/real.sql" "$TMP/cli-ref.sql" &&
        [ "$(ls "$TMP/link" | wc -l)" = 2 ]; then
        pass cli/build-through-symlink
    else
        ls -la "$TMP/link" >> "$TMP/cli.out"; fail cli/build-through-symlink "$TMP/cli.out"
    fi
    # A --previous that names nothing is refused (a typo would otherwise
    # give a plan with no ALTERs), and nothing is written.
    rm -f "$TMP/cli-new.sql"
    "$mvdc" build --previous "$TMP/none.sql" -o "$TMP/cli-new.sql" examples/web-analytics > "$TMP/cli.out" 2>&1
    if [ $? = 2 ] && [ ! -e "$TMP/cli-new.sql" ] && grep -q -- "--no-previous" "$TMP/cli.out"; then
        pass cli/build-previous-missing
    else
        fail cli/build-previous-missing "$TMP/cli.out"
    fi
    # The man pages render without groff warnings and name every option
    # that --help lists.
    local page prog opt missing
    for prog in mvdc mvrun; do
        page=docs/$prog.1
        missing=
        for opt in $("$ROOT/bin/$prog" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
            man -l "$page" 2> /dev/null | grep -q -- "$opt" || missing="$missing $opt"
        done
        if groff -ww -man -z "$page" > "$TMP/man.out" 2>&1 && [ ! -s "$TMP/man.out" ] && [ -z "$missing" ]; then
            pass "cli/man-$prog"
        else
            echo "not in $page:$missing" >> "$TMP/man.out"; fail "cli/man-$prog" "$TMP/man.out"
        fi
    done
    expect_status build-previous-contradiction 2 "$mvdc" build --previous "$TMP/cli-ref.sql" --no-previous \
        -o "$TMP/cli-new.sql" examples/web-analytics
}

# The plan reader's fuzz target, seeded with plans that the tests write.
run_fuzz_plan() {
    local secs=$(( ${FUZZ_SECONDS:-60} < 20 ? ${FUZZ_SECONDS:-60} : 20 ))
    mkdir -p "$TMP/plan-corpus" "$TMP/plan-artifacts"
    python3 -c 'import sys; sys.path.insert(0, "tests/runtime"); import mvrun_test
for v in (1, 2, 3): mvrun_test.shop_plan("%s/shop-v%d.sql" % (sys.argv[1], v), v, "shop", "_mvd")' \
        "$TMP/plan-corpus"
    build/fuzz/fuzz_plan -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$TMP/plan-artifacts/" "$TMP/plan-corpus" > "$TMP/fuzz-plan.out" 2>&1
    local rc=$?
    if [ $rc -eq 0 ] && [ -z "$(ls -A "$TMP/plan-artifacts")" ]; then
        pass "fuzz/plan-${secs}s ($(grep -o 'Done [0-9]* runs' "$TMP/fuzz-plan.out"))"
    else
        for a in "$TMP"/plan-artifacts/*; do
            [ -e "$a" ] && cp "$a" "$ROOT/build/" && echo "    finding saved as build/$(basename "$a")"
        done
        grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$TMP/fuzz-plan.out" > "$TMP/fuzz-plan.short" ||
            tail -n 20 "$TMP/fuzz-plan.out" > "$TMP/fuzz-plan.short" # no fuzzer output: say why it did not run
        fail "fuzz/plan-${secs}s" "$TMP/fuzz-plan.short"
    fi
}

run_fuzz() {
    local secs=${FUZZ_SECONDS:-60}
    mkdir -p "$TMP/fuzz-corpus" "$TMP/fuzz-artifacts"
    # Seeds: the fuzzer's own .mvd corpus plus every SELECT of the corpus
    # and every golden source, so coverage starts from real inputs.
    cp tests/fuzz/corpus/* "$TMP/fuzz-corpus/"
    local i=0 f
    for f in tests/corpus/select/ok/*.sql tests/golden/check/*/*.mvd; do
        i=$((i + 1))
        cp "$f" "$TMP/fuzz-corpus/seed-$i"
    done
    build/fuzz/fuzz_front -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$TMP/fuzz-artifacts/" "$TMP/fuzz-corpus" > "$TMP/fuzz.out" 2>&1
    local rc=$?
    if [ $rc -eq 0 ] && [ -z "$(ls -A "$TMP/fuzz-artifacts")" ]; then
        pass "fuzz/front-${secs}s ($(grep -o 'Done [0-9]* runs' "$TMP/fuzz.out"))"
    else
        for a in "$TMP"/fuzz-artifacts/*; do
            [ -e "$a" ] && cp "$a" "$ROOT/build/" && echo "    finding saved as build/$(basename "$a")"
        done
        grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$TMP/fuzz.out" > "$TMP/fuzz.short" ||
            tail -n 20 "$TMP/fuzz.out" > "$TMP/fuzz.short" # no fuzzer output: say why it did not run
        fail "fuzz/front-${secs}s" "$TMP/fuzz.short"
    fi
}

# Every example in docs/language.md, run through mvdc as the page shows.
run_docs() {
    if python3 tests/docs/verify_examples.py "$ROOT" > "$TMP/docs.out" 2>&1; then
        pass "docs/language-examples ($(tail -n 1 "$TMP/docs.out"))"
    else
        fail docs/language-examples "$TMP/docs.out"
    fi
}

timed unit/release run_unit build/release/unit_tests ""
timed unit/asan run_unit build/asan/unit_tests "asan/"
timed corpus/release run_corpus build/release/parse_corpus ""
timed corpus/asan run_corpus build/asan/parse_corpus "asan/"
timed golden/release run_golden "$ROOT/bin/mvdc" ""
timed golden/asan run_golden "$ROOT/build/asan/mvdc" "asan/"
run_types() {
    bash tests/types/run.sh > "$TMP/types.out" 2>&1
    count_lines "$TMP/types.out"
    grep '^# types ' "$TMP/types.out" || fail types/run "$TMP/types.out"
    # The corpus's calls with other kinds of arguments: no false arity errors.
    python3 tests/types/sweep.py > "$TMP/sweep.out" 2>&1
    count_lines "$TMP/sweep.out"
    grep '^# sweep' "$TMP/sweep.out" || fail types/sweep "$TMP/sweep.out"
}

# MV pipelines: mvdc's verdict, then the same DDL and rows on chDB or the
# 18.16 server (tests/pipelines/README.md).
run_pipelines() {
    bash tests/pipelines/run.sh > "$TMP/pipelines.out" 2>&1
    count_lines "$TMP/pipelines.out"
    grep -q '^# pipelines:' "$TMP/pipelines.out" && grep '^# pipelines:' "$TMP/pipelines.out" ||
        fail pipelines/run "$TMP/pipelines.out"
}

# The README's main job: examples/quickstart.sh on chDB, end to end.
run_quickstart() {
    if sh examples/quickstart.sh > "$TMP/quickstart.out" 2>&1 &&
        grep -q '2026-11-23 09:00:00 │ /pricing │    1 │        1' "$TMP/quickstart.out" &&
        grep -q '^mvrun: nothing to do' "$TMP/quickstart.out"; then
        pass quickstart
    else
        fail quickstart "$TMP/quickstart.out"
    fi
}

timed cli run_cli
# The compiler's folders are layers: nothing includes or calls upward
# (tests/layers/run.sh, over compiler/ and the release objects).
timed layers/run run_counted layers/run bash tests/layers/run.sh
timed quickstart run_quickstart
# mvdc import: golden chains, and round trips of migration chains on chDB
# (raw DDL vs import -> check -> build -> mvrun) (tests/import/run.sh).
timed import/run run_counted import/run bash tests/import/run.sh
timed import-asan/run run_counted import-asan/run env MVDC="$ROOT/build/asan/mvdc" GOLDEN_ONLY=1 LABEL=import-asan bash tests/import/run.sh
# Golden plans: exact bytes, then applied on real engines (tests/plan/run.sh).
timed plan/run run_counted plan/run bash tests/plan/run.sh
# From here to `together`, parts that keep about one core busy each (one
# mvdc, python or chDB process at a time; tamper.py's second half two
# mvdc; measured by the `(cpu M s)` of their `# time` lines): fmt/run,
# plan-tamper/run and types beside the others, four at once on two cores.
# mvdc fmt: golden output, idempotence, same plan (tests/fmt/run.sh).
beside fmt/run run_counted fmt/run bash tests/fmt/run.sh
# Any single flipped byte of a golden plan is refused by mvdc build
# --check and by the independent reader (tests/plan/tamper.py).
beside plan-tamper/run run_counted plan-tamper/run python3 tests/plan/tamper.py tests/golden/plan/new-objects/plan-v1.sql tests/golden/plan/new-objects v1 "$ROOT/bin/mvdc"
# Inferred types against toTypeName on chDB and on 18.16 (tests/types/README.md):
# much of it waits for its 18.16 server.
beside types run_types
# Odd entries in a source tree: loops, FIFOs, dangling links, unreadable
# files, directories named *.mvd (tests/sources.sh).
timed sources/run run_counted sources/run bash tests/sources.sh "$ROOT/bin/mvdc"
# Hostile names, enum values, paths and options: every plan line stays a
# comment, mvrun and mvdc read every value back (tests/plan/hostile.py).
timed plan-hostile/run run_counted plan-hostile/run python3 tests/plan/hostile.py "$ROOT/bin/mvdc" "$ROOT/bin/mvrun" "$TMP/hostile"
# Releases that must not build: the expected diagnostics (tests/plan/errors.sh).
timed plan-errors/run run_counted plan-errors/run bash tests/plan/errors.sh
# The same meaning written differently gives the same plan; a literal's
# case changes exactly its object's hash (tests/plan/determinism.sh).
timed plan-determinism/run run_counted plan-determinism/run bash tests/plan/determinism.sh
# A change to one object changes only that object's plan lines and line 2
# (tests/plan/one_change.py).
timed plan-one-change/run run_counted plan-one-change/run python3 tests/plan/one_change.py "$ROOT/bin/mvdc" "$TMP/one-change"
# 200 releases: plans stay proportional to the project (option
# keep_versions); a database older than every version a plan knows is
# refused on chDB with the plan to apply first (tests/plan/retention.py).
timed plan-retention/run run_counted plan-retention/run python3 tests/plan/retention.py "$ROOT/bin/mvdc" "$ROOT/bin/mvrun" "$TMP/retention"
# A plan is a ClickHouse script: clickhouse-client runs it on 18.16
# (tests/plan/client.sh).
timed plan-client/run run_counted plan-client/run bash tests/plan/client.sh
# docs/ci.md's two workflows, every run: command as written, in a git
# repository with two releases and against an 18.16 server (tests/ci/run.py).
timed ci/run run_counted ci/run python3 tests/ci/run.py
# A plan from an mvdc that spelled statements otherwise keeps every hash;
# a real difference is still a change (tests/plan/respell.sh).
timed plan-respell/run run_counted plan-respell/run bash tests/plan/respell.sh
# The example projects: committed plans up to date, upgrades on chDB with
# sample rows through the MVs (tests/plan/examples.sh).
timed examples/run run_counted examples/run bash tests/plan/examples.sh
# The real engines the later tests rely on: chDB and a ClickHouse 18.16
# server (and a loopback cluster) that the script starts and stops itself.
timed engines/smoke run_counted engines/smoke bash tests/engines/smoke.sh
together
# mvrun: its transports, its plan reader, and the whole program against
# chDB, an 18.16 server and the loopback cluster that it starts itself,
# also under valgrind and ASan (tests/runtime/run.sh).
timed runtime/run run_counted runtime/run bash tests/runtime/run.sh
# From here on, parts that keep one core busy at most (one process at a
# time), in two columns: the front end's fuzzer for its fixed time on one
# core and then the MV pipelines, beside the plan reader's fuzzer for its
# own and the parts after it on the other, so that neither core waits for
# the other and each fuzzer keeps a core to itself; the first column's
# lines come after the second's.
fuzz_then_pipelines() {
    timed fuzz/front run_fuzz
    timed pipelines run_pipelines
}
beside fuzz/front+pipelines fuzz_then_pipelines
timed fuzz/plan run_fuzz_plan
# Golden cases of not-aggregated and nested-aggregate against chDB: it
# must refuse exactly the cases mvdc reports; those written for 18.16
# against an 18.16 server the same way (tests/golden/agree.py).
timed golden/agree run_counted golden/agree python3 tests/golden/agree.py --chdb-query build/engines/chdb_query --ch18
timed docs run_docs
# The editor grammars (editors/): every example and golden file tokenized
# with vscode-textmate and with vim (tests/editors/run.sh).
timed editors/run run_counted editors/run bash tests/editors/run.sh
# The printer keeps meaning: generated SELECTs whose chDB EXPLAIN AST must
# not change when printed, and reprinting idempotent (tests/printer/differential.py).
timed printer/differential run_counted printer/differential python3 tests/printer/differential.py
# Input shapes that once hung or crashed mvdc (tests/hostile/run.sh).
timed hostile/run run_counted hostile/run bash tests/hostile/run.sh
timed asan/hostile/run run_counted asan/hostile/run bash tests/hostile/run.sh build/asan/mvdc
together

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
