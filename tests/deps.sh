#!/bin/sh
# Installs every Debian package that building and testing mvd needs,
# chDB (npm's @chdb/lib-linux-x64-gnu) into $MVD_DEPS_DIR/chdb (default
# <repo>/.deps/chdb, ignored by git), and the TextMate engine
# (vscode-textmate, vscode-oniguruma) into $MVD_DEPS_DIR/textmate.
# Safe to re-run: when everything is present it changes nothing.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS_DIR=${MVD_DEPS_DIR:-$ROOT/.deps}
CHDB_DIR=$DEPS_DIR/chdb
CHDB_LIB=$CHDB_DIR/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so
# Pinned: the type tests compare against this engine's answers.
CHDB_VERSION=26.5.3

# clickhouse-server/-client: ClickHouse 18.16, the real server the HTTP
# tests run against; zookeeper (and the java it pulls in) for the loopback
# cluster; curl for the test scripts; vim, groff and man for the editor
# and man-page tests.
PACKAGES="make gcc python3 clang libclang-rt-14-dev re2c lemon libcurl4-openssl-dev libssl-dev pkg-config valgrind curl openssl clickhouse-server clickhouse-client zookeeper vim groff-base man-db"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""

apt_install() {
    if [ -z "$UPDATED" ]; then
        $SUDO apt-get update -qq
        UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# Tests start their own servers on free ports. Debian's clickhouse-server
# enables and starts a system service on install (port 8123/9000, as user
# clickhouse): stop it and keep it from starting at boot. (zookeeper has no
# service; that is the separate zookeeperd package.)
stop_service() {
    svc=$1
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        echo "deps: stopping and disabling the $svc service (tests start their own)"
        $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$svc" ]; then
        echo "deps: stopping and disabling the $svc service (tests start their own)"
        $SUDO "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
        $SUDO update-rc.d "$svc" disable >/dev/null 2>&1 || true
    fi
}

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all packages present"
else
    echo "deps: installing$missing"
    apt_install $missing
    case " $missing " in
        *" clickhouse-server "*) stop_service clickhouse-server ;;
    esac
fi

need_npm() {
    command -v npm >/dev/null 2>&1 && return 0
    if ! apt-cache policy npm 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        echo "deps: npm is missing and apt offers no npm package; install npm, then re-run" >&2
        exit 1
    fi
    echo "deps: installing nodejs npm (to fetch chDB and the TextMate engine)"
    apt_install nodejs npm
}

if [ -f "$CHDB_LIB" ]; then
    echo "deps: chDB present in $CHDB_DIR"
else
    need_npm
    echo "deps: installing chDB (npm @chdb/lib-linux-x64-gnu, ~170 MB download) into $CHDB_DIR"
    mkdir -p "$CHDB_DIR"
    npm install --prefix "$CHDB_DIR" --no-audit --no-fund --loglevel=error "@chdb/lib-linux-x64-gnu@$CHDB_VERSION"
    if [ ! -f "$CHDB_LIB" ]; then
        echo "deps: npm finished but $CHDB_LIB is missing" >&2
        exit 1
    fi
fi

# The TextMate engine VS Code uses, to test editors/mvd.tmLanguage.json
# (tests/editors/run.sh): vscode-textmate with the oniguruma regex engine.
TEXTMATE_DIR=$DEPS_DIR/textmate
if [ -f "$TEXTMATE_DIR/node_modules/vscode-textmate/package.json" ] &&
    [ -f "$TEXTMATE_DIR/node_modules/vscode-oniguruma/release/onig.wasm" ]; then
    echo "deps: vscode-textmate present in $TEXTMATE_DIR"
else
    need_npm
    echo "deps: installing vscode-textmate and vscode-oniguruma (npm) into $TEXTMATE_DIR"
    mkdir -p "$TEXTMATE_DIR"
    npm install --prefix "$TEXTMATE_DIR" --no-audit --no-fund --loglevel=error vscode-textmate@9.4.0 vscode-oniguruma@2.0.1
fi
echo "deps: chDB installed: $CHDB_LIB"
