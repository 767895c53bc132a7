#!/usr/bin/env bash
# The editor grammars (editors/) against every example and golden .mvd
# file: tests/editors/check.py with vscode-textmate + vscode-oniguruma
# (installed by `make deps` into .deps/textmate) and vim.
#
#   bash tests/editors/run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
modules=
if [ -n "${MVD_DEPS_DIR:-}" ]; then
    modules=$MVD_DEPS_DIR/textmate/node_modules
else
    # The first .deps/textmate from here up (worktrees share one .deps).
    dir=$PWD
    while [ "$dir" != / ]; do
        [ -d "$dir/.deps/textmate/node_modules/vscode-textmate" ] && { modules=$dir/.deps/textmate/node_modules; break; }
        dir=$(dirname "$dir")
    done
fi
if [ -z "$modules" ] || [ ! -d "$modules/vscode-textmate" ]; then
    echo "FAIL editors/textmate-engine"
    echo "    vscode-textmate is not installed: run make deps (tests/deps.sh installs it into .deps/textmate)"
    exit 1
fi
for tool in node vim; do
    if ! command -v $tool > /dev/null; then
        echo "FAIL editors/$tool"
        echo "    $tool is not installed: run make deps"
        exit 1
    fi
done
python3 tests/editors/check.py "$modules"
