#!/usr/bin/env python3
"""http_query.py URL < statements: runs statements separated by lines
holding only `;;` on a ClickHouse server over HTTP (as chdb_query does on
chDB), printing each result, or `ERROR <code> <message>` for a failure.
Exit status 1 when any statement failed."""
import re
import sys
import urllib.error
import urllib.request


def main():
    url = sys.argv[1]
    failed = 0
    for stmt in sys.stdin.read().split("\n;;\n"):
        if not stmt.strip():
            continue
        req = urllib.request.Request(url, data=stmt.encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                sys.stdout.write(r.read().decode())
        except urllib.error.HTTPError as e:
            body = e.read().decode(errors="replace")
            m = re.match(r"Code: (\d+)", body)
            print("ERROR %s %s" % (m.group(1) if m else 0, body.replace("\n", " ")[:300]))
            failed = 1
        sys.stdout.flush()
    return failed


if __name__ == "__main__":
    sys.exit(main())
