#!/usr/bin/env bash
# Source trees that are not plain files and directories: every odd entry
# is an error naming its path (exit 2, no plan written), never a hang and
# never a silent skip (a skipped file would have the plan drop what it
# declared).
#
#   tests/sources.sh MVDC
#
# Prints PASS/FAIL lines; SKIP lines for what this machine cannot show.
set -uo pipefail
MVDC=$1
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

# case NAME WANT_TEXT: builds $TMP/NAME/src into a fresh plan and expects
# exit 2 within 20 s, a message holding WANT_TEXT, and no plan.
expect_refused() {
    local name=$1 want=$2 dir=$TMP/$1
    timeout 20 "$MVDC" build -o "$dir/plan.sql" "$dir/src" > "$dir/out" 2>&1
    local rc=$?
    if [ $rc -eq 2 ] && grep -qF -- "$want" "$dir/out" && [ ! -e "$dir/plan.sql" ]; then
        echo "PASS sources/$name"
    else
        echo "FAIL sources/$name"
        echo "    exit $rc (124: timed out), want 2 and: $want"
        sed 's/^/    /' "$dir/out" | head -5
    fi
}

project() { # NAME: a small valid project in $TMP/NAME/src
    mkdir -p "$TMP/$1/src"
    printf 'database d;\ntable t (a UInt8) engine = Log;\n' > "$TMP/$1/src/a.mvd"
}

project loop
ln -s .. "$TMP/loop/src/up"
expect_refused loop "'$TMP/loop/src/up/src': a symbolic link back to a directory above it"

project self-link
ln -s self.mvd "$TMP/self-link/src/self.mvd"
expect_refused self-link "'$TMP/self-link/src/self.mvd': a loop of symbolic links"

project fifo
mkfifo "$TMP/fifo/src/p.mvd"
expect_refused fifo "'$TMP/fifo/src/p.mvd': a FIFO, not a source file"

project dangling
ln -s gone.mvd "$TMP/dangling/src/b.mvd"
expect_refused dangling "'$TMP/dangling/src/b.mvd': a symbolic link to something that does not exist"

project dangling-dir
ln -s ../nowhere "$TMP/dangling-dir/src/more"
expect_refused dangling-dir "'$TMP/dangling-dir/src/more': a symbolic link to something that does not exist"

# A file name with a newline and a terminal escape: shown as \xHH, never raw.
project control-bytes-in-name
ln -s gone.mvd "$TMP/control-bytes-in-name/src/$(printf 'a\nb\033[2J.mvd')"
expect_refused control-bytes-in-name "'$TMP/control-bytes-in-name/src/a\\x0ab\\x1b[2J.mvd': a symbolic link"
if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f]' "$TMP/control-bytes-in-name/out"; then
    echo "FAIL sources/control-bytes-in-name-not-raw"
else
    echo "PASS sources/control-bytes-in-name-not-raw"
fi

project directory-named-mvd
mkdir "$TMP/directory-named-mvd/src/x.mvd"
expect_refused directory-named-mvd "'$TMP/directory-named-mvd/src/x.mvd': a directory, and a name ending in .mvd"

# A FIFO named on the command line is refused too, without opening it.
mkdir -p "$TMP/fifo-arg/src" && mkfifo "$TMP/fifo-arg/p.mvd"
timeout 20 "$MVDC" check "$TMP/fifo-arg/p.mvd" > "$TMP/fifo-arg/out" 2>&1
if [ $? -eq 2 ] && grep -qF "a FIFO" "$TMP/fifo-arg/out"; then echo "PASS sources/fifo-argument"; else
    echo "FAIL sources/fifo-argument"; sed 's/^/    /' "$TMP/fifo-arg/out" | head -5; fi

# A file or directory the user cannot read: root reads them all, so as
# root the check runs as nobody (setpriv), when nobody can reach mvdc.
as_user=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$MVDC" --help > /dev/null 2>&1; then
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    else
        echo "SKIP sources/unreadable (root, and no way to run mvdc as another user)"
    fi
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
    for what in file dir; do
        project unreadable-$what
        chmod 755 "$TMP" "$TMP/unreadable-$what" "$TMP/unreadable-$what/src"
        if [ $what = file ]; then
            printf 'view d.v pulls_from d.t as select a from d.t;\n' > "$TMP/unreadable-$what/src/b.mvd"
            chmod 000 "$TMP/unreadable-$what/src/b.mvd"
            target=$TMP/unreadable-$what/src/b.mvd
        else
            mkdir "$TMP/unreadable-$what/src/sub" && chmod 000 "$TMP/unreadable-$what/src/sub"
            target=$TMP/unreadable-$what/src/sub
        fi
        timeout 20 "${as_user[@]}" "$MVDC" check "$TMP/unreadable-$what/src" > "$TMP/unreadable-$what/out" 2>&1
        rc=$?
        if [ $rc -eq 2 ] && grep -qF "'$target': Permission denied" "$TMP/unreadable-$what/out"; then
            echo "PASS sources/unreadable-$what"
        else
            echo "FAIL sources/unreadable-$what"
            echo "    exit $rc, want 2 naming $target"
            sed 's/^/    /' "$TMP/unreadable-$what/out" | head -5
        fi
    done
fi
