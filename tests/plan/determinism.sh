#!/usr/bin/env bash
# The plan depends on what the sources mean, not on how they are written.
#
# For a few golden plan cases (every release, each built from the previous
# variant's plan) and the examples: the same sources with files renamed,
# merged, split, statements reordered, blanks, comments and keyword case
# changed (tests/plan/variants.py) give the golden plan byte for byte,
# except the src= fields (they name where a declaration is, so they must
# follow it) and the plan-sha256 line (which covers them). And the
# opposite: changing the case of one string literal changes the hash of
# exactly the object that holds it.
# Prints PASS/FAIL lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

plan_body() { sed 's/ src=[^ ]*//; /^-- plan-sha256:/d' "$1"; }

# Prints PASS or FAIL.
judge() { # LABEL WANT_PLAN GOT_PLAN
    if diff -u <(plan_body "$2") <(plan_body "$3") > "$TMP/diff"; then
        pass "$1"; return 0
    fi
    fail "$1: the plan differs beyond src=" "$TMP/diff"; return 1
}

KINDS="rename merge split reorder whitespace comments keywords all"

# CASE_DIR: releases v1, v2, ... with their golden plan-vK.sql.
golden_case() {
    local case=$1 name kind v ok last
    name=$(basename "$case")
    last=$(basename "$(ls -d "$case"/v*/ | tail -n 1)")
    for kind in $KINDS; do
        ok=1
        rm -f "$TMP/plan.sql"
        for v in "$case"/v*/; do
            v=$(basename "$v")
            rm -rf "$TMP/src" && mkdir -p "$TMP/src"
            python3 tests/plan/variants.py "$kind" "$case/$v" "$TMP/src/$v" || { ok=0; break; }
            if ! (cd "$TMP/src" && "$MVDC" build -o "$TMP/plan.sql" "$v" 2> "$TMP/err"); then
                fail "determinism/$name/$kind/$v: mvdc build failed" "$TMP/err"; ok=0; break
            fi
            if cmp -s "$case/plan-$v.sql" "$TMP/plan.sql" && { [ "$kind" = rename ] || [ "$kind" = merge ] ||
                [ "$kind" = split ] || [ "$kind" = all ]; }; then
                # Other file names: src= must have followed the declarations.
                echo "src= fields did not change" > "$TMP/diff"
                fail "determinism/$name/$kind/$v: src= does not follow the declarations" "$TMP/diff"; ok=0; break
            fi
            [ "$v" = "$last" ] && break
            if ! diff -q <(plan_body "$case/plan-$v.sql") <(plan_body "$TMP/plan.sql") > /dev/null; then
                judge "determinism/$name/$kind/$v" "$case/plan-$v.sql" "$TMP/plan.sql" > "$TMP/judged"
                cat "$TMP/judged"; ok=0; break
            fi
        done
        [ $ok = 1 ] && judge "determinism/$name/$kind" "$case/plan-$last.sql" "$TMP/plan.sql"
    done
}

# DIR: one release (an example), compared with a build of itself.
example_case() {
    local dir=$1 name kind
    name=$(basename "$dir")
    rm -rf "$TMP/ref" && mkdir -p "$TMP/ref" && cp "$dir"/*.mvd "$TMP/ref/"
    if ! "$MVDC" build -o "$TMP/ref.sql" "$TMP/ref" 2> "$TMP/err"; then
        fail "determinism/$name: mvdc build failed" "$TMP/err"; return
    fi
    for kind in $KINDS; do
        rm -rf "$TMP/src" "$TMP/plan.sql"
        python3 tests/plan/variants.py "$kind" "$TMP/ref" "$TMP/src" || { fail "determinism/$name/$kind: variants.py"; continue; }
        if ! "$MVDC" build -o "$TMP/plan.sql" "$TMP/src" 2> "$TMP/err"; then
            fail "determinism/$name/$kind: mvdc build failed" "$TMP/err"
        else
            judge "determinism/$name/$kind" "$TMP/ref.sql" "$TMP/plan.sql"
        fi
    done
    rm -f "$TMP/ref.sql"
}

# The @object lines of a plan: KIND QNAME HASH.
objects() { grep '^-- @object ' "$1" | cut -d' ' -f3-5; }

# SRC_DIR FILE OLD NEW QNAME: replacing the literal OLD by NEW (its case
# changed) in FILE changes QNAME's hash and no other object's.
literal_case() {
    local src=$1 file=$2 old=$3 new=$4 qname=$5 label
    label="determinism/literal-case/$qname"
    rm -rf "$TMP/lit" "$TMP/a.sql" "$TMP/b.sql" && cp -r "$src" "$TMP/lit"
    "$MVDC" build -o "$TMP/a.sql" "$TMP/lit" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    grep -qF "$old" "$TMP/lit/$file" || { echo "no $old in $file" > "$TMP/err"; fail "$label" "$TMP/err"; return; }
    OLD=$old NEW=$new python3 -c 'import os,sys; p=sys.argv[1]; t=open(p).read(); open(p,"w").write(t.replace(os.environ["OLD"], os.environ["NEW"], 1))' "$TMP/lit/$file"
    "$MVDC" build -o "$TMP/b.sql" "$TMP/lit" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    diff <(objects "$TMP/a.sql") <(objects "$TMP/b.sql") | grep '^[<>]' | cut -d' ' -f3 | sort -u > "$TMP/changed"
    if [ "$(cat "$TMP/changed")" = "$qname" ]; then
        pass "$label"
    else
        { echo "objects whose hash changed (want only $qname):"; cat "$TMP/changed"; } > "$TMP/err"
        fail "$label" "$TMP/err"
    fi
}

# An MV's hash covers the types of the columns it uses, wherever the
# SELECT uses them: a window's PARTITION BY and ORDER BY too. Changing
# y's type (it appears only inside OVER) changes the MV's hash.
window_column_case() { # LABEL OVER-CLAUSE
    local label="determinism/used-column/$1" over=$2 t
    rm -rf "$TMP/win" && mkdir -p "$TMP/win"
    for t in UInt8 UInt16; do
        cat > "$TMP/win/w.mvd" <<MVD
database w;
table s (x UInt64, y $t, ts DateTime) engine = MergeTree order by ts;
table totals (ts DateTime, running UInt64) engine = MergeTree order by ts;
materialized view totals_mv pulls_from s pushes_to totals
as select ts, toUInt64(sum(x) over ($over)) as running from s;
MVD
        "$MVDC" build --no-previous -o "$TMP/win-$t.sql" "$TMP/win" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    done
    if [ "$(objects "$TMP/win-UInt8.sql" | grep ' w.totals_mv ')" != "$(objects "$TMP/win-UInt16.sql" | grep ' w.totals_mv ')" ]; then
        pass "$label"
    else
        objects "$TMP/win-UInt8.sql" > "$TMP/err"; fail "$label: the MV kept its hash when y's type changed" "$TMP/err"
    fi
}
window_column_case partition-by "partition by y"
window_column_case order-by "order by y"

# dictGet('db.d', 'attr', k) uses the dictionary's column attr: changing
# its type changes the MV's hash (the attribute is named in a literal).
dictionary_attribute_case() {
    local label="determinism/used-column/dictget-attribute" t
    rm -rf "$TMP/dic" && mkdir -p "$TMP/dic"
    for t in UInt8 UInt16; do
        cat > "$TMP/dic/d.mvd" <<MVD
option clickhouse = '26.5';
database w;
table names (k UInt64, tier $t) engine = MergeTree order by k;
dictionary names_dict (k UInt64, tier $t) primary key k source(clickhouse(table 'names')) layout(hashed()) lifetime(0);
table s (k UInt64) engine = MergeTree order by k;
table out (k UInt64, tier UInt16) engine = MergeTree order by k;
materialized view out_mv pulls_from s, names_dict pushes_to out
as select k, dictGet('w.names_dict', 'tier', k) as tier from s;
MVD
        "$MVDC" build --no-previous -o "$TMP/dic-$t.sql" "$TMP/dic" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    done
    if [ "$(objects "$TMP/dic-UInt8.sql" | grep ' w.out_mv ')" != "$(objects "$TMP/dic-UInt16.sql" | grep ' w.out_mv ')" ]; then
        pass "$label"
    else
        objects "$TMP/dic-UInt8.sql" > "$TMP/err"; fail "$label: the MV kept its hash when the attribute's type changed" "$TMP/err"
    fi
}
dictionary_attribute_case

# A project big enough to be parsed and hashed on several threads gives
# the same plan, and the same diagnostics, whatever the thread count (-j).
threads_case() {
    local label=determinism/threads j
    cc -std=c11 -O2 -o "$TMP/genproject" tests/bench/genproject.c || { fail "$label: genproject"; return; }
    "$TMP/genproject" 5000 "$TMP/big" > /dev/null || { fail "$label: genproject 5000"; return; }
    "$MVDC" build -j1 -o "$TMP/j1.sql" "$TMP/big" 2> "$TMP/err" || { fail "$label: build -j1" "$TMP/err"; return; }
    for j in 2 3 8; do
        "$MVDC" build -j$j -o "$TMP/j$j.sql" "$TMP/big" 2> "$TMP/err" || { fail "$label: build -j$j" "$TMP/err"; continue; }
        if cmp -s "$TMP/j1.sql" "$TMP/j$j.sql"; then pass "$label/build-j$j"; else fail "$label/build-j$j: the plan differs from -j1"; fi
    done
    # Errors in many files: a syntax error, an unknown column, a duplicate.
    local f n=0
    for f in $(find "$TMP/big" -name '*.mvd' | sort | awk 'NR % 7 == 1'); do
        n=$((n + 1))
        case $((n % 3)) in
            0) printf '\ntable broken_%d (x UInt8\n' "$n" >> "$f" ;;
            1) printf '\nview v_err_%d as select no_such_column from bench_0.events_000000;\n' "$n" >> "$f" ;;
            2) printf '\ntable dup_%d (x UInt8, x UInt8) engine = MergeTree order by x;\n' "$n" >> "$f" ;;
        esac
    done
    "$MVDC" check -j1 "$TMP/big" > "$TMP/c1.out" 2> "$TMP/c1.err"
    local want=$?
    [ $want = 1 ] && [ -s "$TMP/c1.err" ] || { fail "$label: check -j1 should report errors (exit $want)" "$TMP/c1.err"; return; }
    for j in 2 8; do
        "$MVDC" check -j$j "$TMP/big" > "$TMP/c$j.out" 2> "$TMP/c$j.err"
        if [ $? = $want ] && cmp -s "$TMP/c1.err" "$TMP/c$j.err"; then
            pass "$label/check-j$j ($(grep -c '^[^ ].*: error' "$TMP/c1.err") errors)"
        else
            diff "$TMP/c1.err" "$TMP/c$j.err" > "$TMP/diff"; fail "$label/check-j$j: diagnostics differ from -j1" "$TMP/diff"
        fi
    done
    # build prints the CREATEs on other threads while these errors are
    # found: it stops them, writes nothing and says the same as check.
    for j in 1 2 8; do
        rm -f "$TMP/b$j.sql"
        "$MVDC" build -j$j -o "$TMP/b$j.sql" "$TMP/big" > /dev/null 2> "$TMP/b$j.err"
        local got=$?
        if [ $got = 1 ] && [ ! -e "$TMP/b$j.sql" ] && cmp -s "$TMP/c1.err" "$TMP/b$j.err"; then
            pass "$label/build-errors-j$j"
        else
            diff "$TMP/c1.err" "$TMP/b$j.err" > "$TMP/diff"
            fail "$label/build-errors-j$j: exit $got (want 1), plan written: $([ -e "$TMP/b$j.sql" ] && echo yes || echo no)" "$TMP/diff"
        fi
    done
}
threads_case

for name in new-objects three-releases on-cluster ch18-upgrade codec-ttl-comment; do
    golden_case "tests/golden/plan/$name"
done
for dir in examples/*/; do
    ls "$dir"*.mvd > /dev/null 2>&1 && example_case "${dir%/}"
done
literal_case tests/golden/plan/view-change/v1 a.mvd "'open'" "'Open'" a.open_orders
literal_case tests/golden/plan/column-expressions/v1 c.mvd "'new'" "'NEW'" c.items
literal_case tests/golden/plan/codec-ttl-comment/v1 logs.mvd "'where the line came from'" "'Where the line came from'" logs.lines
literal_case examples/web-analytics rollups.mvd "'mobile'" "'Mobile'" web.daily_countries_mv
