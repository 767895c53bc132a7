#!/usr/bin/env bash
# A plan written by an older mvdc that spelled CREATE statements
# differently (tests/plan/older_spelling.py: quoting, indentation) is the
# same release: building the same sources against it keeps every object's
# hash and plans nothing for it: no ALTER, no MV rebuild, no drop. A real
# difference hidden in the old spelling (a column's type) is still an
# ALTER. Prints PASS/FAIL lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

objects() { grep '^-- @object ' "$1"; }
# Each step's action, kind and name, in order.
steps() { grep '^-- @step ' "$1" | cut -d' ' -f4-6; }

same_release() { # LABEL SRC
    local label=respell/$1 src=$2
    rm -f "$TMP/fresh.sql" "$TMP/new.sql"
    "$MVDC" build -o "$TMP/fresh.sql" "$src" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    python3 tests/plan/older_spelling.py "$TMP/fresh.sql" "$TMP/old.sql"
    if cmp -s <(objects "$TMP/fresh.sql") <(objects "$TMP/old.sql"); then
        echo "older_spelling.py kept the hashes" > "$TMP/err"; fail "$label: no old spelling" "$TMP/err"; return
    fi
    "$MVDC" build --previous "$TMP/old.sql" -o "$TMP/new.sql" "$src" 2> "$TMP/err" ||
        { fail "$label: build against the older plan" "$TMP/err"; return; }
    if ! diff <(objects "$TMP/old.sql") <(objects "$TMP/new.sql") > "$TMP/diff"; then
        fail "$label: hashes not kept" "$TMP/diff"; return
    fi
    if ! diff <(steps "$TMP/fresh.sql") <(steps "$TMP/new.sql") > "$TMP/diff"; then
        fail "$label: steps beyond a fresh build's" "$TMP/diff"; return
    fi
    # A database the older plan set up needs nothing from the new one.
    rm -f "$TMP/state.json"
    python3 tests/plan/statements.py "$TMP/old.sql" --state "$TMP/state.json" > /dev/null
    python3 tests/plan/statements.py "$TMP/new.sql" --state "$TMP/state.json" > "$TMP/runs"
    if [ -s "$TMP/runs" ]; then
        fail "$label: statements would run on a database the older plan set up" "$TMP/runs"; return
    fi
    pass "$label ($(objects "$TMP/new.sql" | grep -vc ' present$') hashes kept)"
}

# Either an ALTER is planned or the change is refused (a narrowing needs
# `narrow column`): anything but being taken for a respelling.
real_change() { # LABEL SRC TABLE
    local label=respell/$1-real-change src=$2 table=$3
    rm -f "$TMP/fresh.sql" "$TMP/new.sql"
    "$MVDC" build -o "$TMP/fresh.sql" "$src" 2> "$TMP/err" || { fail "$label: build" "$TMP/err"; return; }
    python3 tests/plan/older_spelling.py "$TMP/fresh.sql" "$TMP/old.sql" --change "$table"
    if "$MVDC" build --previous "$TMP/old.sql" -o "$TMP/new.sql" "$src" 2> "$TMP/err"; then
        if steps "$TMP/new.sql" | grep -q "^alter table $table$"; then
            pass "$label (ALTER of $table planned)"
        else
            steps "$TMP/new.sql" > "$TMP/diff"; fail "$label: no ALTER of $table" "$TMP/diff"
        fi
    elif grep -q 'error\[\(destructive\|unalterable\)\]: changing the type' "$TMP/err"; then
        pass "$label (refused: $(grep -o 'error\[[a-z]*\]: changing the type of [^ ]*' "$TMP/err"))"
    else
        fail "$label: build against the older plan" "$TMP/err"
    fi
}

same_release three-releases-v1 tests/golden/plan/three-releases/v1
same_release on-cluster-v1 tests/golden/plan/on-cluster/v1
same_release web-analytics examples/web-analytics
same_release ad-events examples/ad-events
same_release multi-db examples/multi-db
real_change web-analytics examples/web-analytics web.page_views
real_change ad-events examples/ad-events ads.events
