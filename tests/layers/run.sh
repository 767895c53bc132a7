#!/usr/bin/env bash
# The compiler's folders are layers (compiler/README.md): a file may
# include headers of its own folder and of the folders below it, never of
# one above or beside it. Two views of the same rule:
#   includes  every #include "folder/x.h" in compiler/ and grammar/
#   symbols   every function an object file calls, by the folder that
#             defines it (nm over the release build), so that a
#             declaration placed in a lower header cannot hide a call up
# and a third rule, network: only compiler/import/server.c (`mvdc import
# --url`) may include common/transport/'s headers or call into it or
# libcurl, so that check, build and the rest never connect to anything.
# Prints PASS/FAIL lines; run by tests/run.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."

# Bottom first; folders joined by '+' share a level and may not include
# each other. The generated lexer and parser belong to syntax/, the
# embedded library to project/; compiler/*.c (main, graph) is the top.
LEVELS="base syntax print+project typing check plan+import"

declare -A level
i=0
for l in $LEVELS; do
    for f in ${l//+/ }; do level[$f]=$i; done
    i=$((i + 1))
done
level[top]=$i

folder_of() { # path -> its layer's folder name
    case $1 in
        grammar/*|*gen_lexer*|*gen_parser*) echo syntax ;;
        *gen_stdlib_data*) echo project ;;
        compiler/*/*) local f=${1#compiler/}; echo "${f%%/*}" ;;
        compiler/*) echo top ;;
        *) echo "" ;;
    esac
}

# allowed FROM TO: TO is FROM's own folder or strictly below it.
allowed() {
    [ "$1" = "$2" ] && return 0
    [ -n "${level[$2]:-}" ] && [ "${level[$2]}" -lt "${level[$1]}" ]
}

bad=$(mktemp)
trap 'rm -f "$bad"' EXIT
# One grep over every file (a process or two per file took seconds).
grep -Ho '#include "[a-z_]*/[a-z_]*\.h"' compiler/*.[ch] compiler/*/*.[ch] grammar/* | sort -u |
while IFS=: read -r f inc; do
    to=${inc#\#include \"}
    to=${to%%/*}
    from=$(folder_of "$f")
    allowed "$from" "$to" || echo "$f ($from) includes $to/" >> "$bad"
done
if [ -s "$bad" ]; then echo "FAIL layers/includes"; sort -u "$bad" | sed "s/^/    /"; else echo "PASS layers/includes"; fi

: > "$bad"
# The objects of today's sources only: a file moved or renamed leaves
# its old object behind in a build tree that is not clean.
objs=$(for c in compiler/*/*.c compiler/*.c; do o=build/release/${c#compiler/}; o=${o%.c}.o; [ -f "$o" ] && echo "$o"; done
       ls build/release/gen_*.o 2>/dev/null)
if [ -z "$objs" ]; then
    echo "FAIL layers/symbols"; echo "    no objects in build/release: build bin/mvdc first"
    exit 0
fi
# One nm over every object for what each defines and one for what each
# calls (an nm per object took most of this script's time).
defs=$(mktemp) uses=$(mktemp)
trap 'rm -f "$bad" "$defs" "$uses"' EXIT
nm -A --defined-only -g $objs > "$defs" 2> /dev/null
nm -A -u $objs > "$uses" 2> /dev/null
declare -A owner folder
for o in $objs; do folder[$o]=$(folder_of "compiler/${o#build/release/}"); done
while read -r where type s; do
    [[ $type =~ ^[TDRB]$ ]] && owner[$s]=${folder[${where%%:*}]}
done < "$defs"
while read -r where type s; do
    o=${where%%:*}
    to=${owner[$s]:-}
    [ -z "$to" ] && continue
    from=${folder[$o]}
    allowed "$from" "$to" || echo "${o#build/release/} ($from) calls $s in $to/" >> "$bad"
done < "$uses"
if [ -s "$bad" ]; then echo "FAIL layers/symbols"; sed 's/^/    /' "$bad" | head -40; else echo "PASS layers/symbols"; fi

: > "$bad"
NET_HDR='#include "\(transport\|transport_impl\|tsv\|login\|url\)\.h"\|#include <curl/'
grep -Hn "$NET_HDR" compiler/*.[ch] compiler/*/*.[ch] grammar/* | grep -v '^compiler/import/server\.c:' >> "$bad"
awk '{ o = $1; sub(/:.*/, "", o) }
     o != "build/release/import/server.o" && $NF ~ /^(transport_|tsv_|login_|url_|curl_|chdb_)/ {
         sub(/^build\/release\//, "", o); print o " calls " $NF }' "$uses" >> "$bad"
if ! grep -q '^build/release/import/server.o: *U transport_open$' "$uses"; then
    echo "build/release/import/server.o does not call transport_open: the rule checks nothing" >> "$bad"
fi
if [ -s "$bad" ]; then echo "FAIL layers/network"; sed 's/^/    /' "$bad" | head -40; else echo "PASS layers/network"; fi
