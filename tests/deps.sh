#!/bin/sh
# Installs every Debian package that building and testing mvd needs.
# Safe to re-run: when everything is present it changes nothing.
set -eu

PACKAGES="make gcc python3 clang libclang-rt-14-dev re2c lemon libcurl4-openssl-dev libssl-dev pkg-config valgrind"

missing=""
for p in $PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
