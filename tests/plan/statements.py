#!/usr/bin/env python3
"""Prints a plan's statements for build/engines/chdb_query (separated by
lines holding only `;;`, without their final `;`), reading the plan by its
framing (docs/plan-format.md) independently of mvdc and mvrun.

    statements.py PLAN [--check]

--check only verifies the plan (format line, plan-sha256, every
statement's bytes= and sha256=) and exits 1 on any mismatch."""
import hashlib
import re
import sys

HEADER = re.compile(rb"^-- @step (\d+) (\S+) .* bytes=(\d+) sha256=([0-9a-f]{64})")


def statements(data):
    lines = data.split(b"\n", 2)
    if lines[0] != b"-- mvd plan 1":
        raise ValueError("line 1 is not the format line")
    want = lines[1].removeprefix(b"-- plan-sha256: ").decode()
    if hashlib.sha256(lines[2]).hexdigest() != want:
        raise ValueError("plan-sha256 does not match")
    pos = len(lines[0]) + len(lines[1]) + 2
    out = []
    while pos < len(data):
        end = data.index(b"\n", pos)
        line = data[pos:end]
        pos = end + 1
        m = HEADER.match(line)
        if not m:
            if line and not line.startswith(b"--"):
                raise ValueError("stray line: %r" % line[:60])
            continue
        n = int(m.group(3))
        stmt = data[pos:pos + n]
        if hashlib.sha256(stmt).hexdigest() != m.group(4).decode():
            raise ValueError("step %s: sha256 does not match" % m.group(1).decode())
        if data[pos + n:pos + n + 2] != b"\n\n":
            raise ValueError("step %s: not followed by an empty line" % m.group(1).decode())
        out.append(stmt)
        pos += n + 2
    return out


def main():
    data = open(sys.argv[1], "rb").read()
    try:
        stmts = statements(data)
    except (ValueError, IndexError) as e:
        print("invalid plan: %s" % e, file=sys.stderr)
        return 1
    if "--check" in sys.argv:
        return 0
    for s in stmts:
        sys.stdout.buffer.write(s.rstrip(b";") + b"\n;;\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
