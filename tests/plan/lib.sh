# What every tests/plan script starts with (source it first): the
# repository as the working directory, ROOT, MVDC (the mvdc under test),
# a TMP directory removed on exit (a script that stops servers too sets
# its own trap, removing TMP as well), and the PASS/FAIL lines that
# tests/run.sh counts: fail LABEL [FILE] indents FILE's first 30 lines
# below the FAIL line.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
ROOT=$PWD
MVDC=${MVDC:-$ROOT/bin/mvdc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
source tests/direct_python.sh
direct_python "$TMP/python"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30; }
