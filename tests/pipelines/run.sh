#!/usr/bin/env bash
# The pipelines suite (README.md): starts an 18.16 server of its own for
# the pipelines that need one, runs run.py, stops the server. Prints PASS/
# FAIL lines and a `# pipelines:` summary.
#
#   bash tests/pipelines/run.sh [NAME...]
#
# MVDC and CHDB_QUERY name other binaries than bin/mvdc and
# build/engines/chdb_query.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mvd-pipelines.XXXXXX")
trap 'tests/engines/ch18.sh stop "$TMP/ch18" > /dev/null 2>&1; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

if ! url=$(tests/engines/ch18.sh start "$TMP/ch18" 2>&1); then
    echo "FAIL pipelines/ch18-start"
    echo "$url" | sed 's/^/    /' | head -10
    url=""
fi
python3 tests/pipelines/run.py --mvdc "${MVDC:-$ROOT/bin/mvdc}" \
    --chdb-query "${CHDB_QUERY:-$ROOT/build/engines/chdb_query}" ${url:+--ch18-url "$url"} "$@"
