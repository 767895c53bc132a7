#!/usr/bin/env python3
"""Prints a plan's statements for build/engines/chdb_query (separated by
lines holding only `;;`, without their final `;`), reading the plan by its
framing (docs/plan-format.md) independently of mvdc and mvrun.

    statements.py PLAN [--check] [--state FILE]

--check only verifies the plan (format line, plan-sha256, every
statement's bytes= and sha256=) and exits 1 on any mismatch.
--state FILE judges each step's guard (when=/unless=) against the object
states in FILE (JSON, {"kind qname": state}; missing: empty database),
prints only the steps that would run, and writes the states they set back
to FILE: a stand-in for mvrun's registry, for testing plans alone. An MV's
rename (`from=OLD`) runs while the MV is absent and OLD is in one of the
guard's states, and leaves OLD absent.
--rerun FILE (with --state) also writes to FILE what a second run on the
states the first one set would print (nothing when the plan converged),
and FILE's states are those after both: what running this again with the
same --state would print, without a second start of the interpreter."""
import hashlib
import json
import os
import re
import sys

# Group 1, the step number, is only in format 1 (older mvdc, whose plans
# tests/plan/respell.sh reads too); format 2 numbers steps by position.
HEADER = re.compile(rb"^-- @step (\d+ )?(\S+) (\S+) (\S+) (\S+) (when|unless)=(\S+) sets=(\S+) .* bytes=(\d+) sha256=([0-9a-f]{64})")
FROM = re.compile(rb" from=(\S+)")


def statements(data):
    lines = data.split(b"\n", 2)
    if lines[0] not in (b"-- mvd plan 1", b"-- mvd plan 2"):
        raise ValueError("line 1 is not the format line")
    want = lines[1].removeprefix(b"-- plan-sha256: ").decode()
    if hashlib.sha256(lines[2]).hexdigest() != want:
        raise ValueError("plan-sha256 does not match")
    pos = len(lines[0]) + len(lines[1]) + 2
    out, number = [], 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        line = data[pos:end]
        pos = end + 1
        m = HEADER.match(line)
        if not m:
            if line and not line.startswith(b"--"):
                raise ValueError("stray line: %r" % line[:60])
            continue
        n = int(m.group(9))
        number += 1  # steps are numbered by position
        stmt = data[pos:pos + n]
        if hashlib.sha256(stmt).hexdigest() != m.group(10).decode():
            raise ValueError("step %d: sha256 does not match" % number)
        if data[pos + n:pos + n + 2] != b"\n\n":
            raise ValueError("step %d: not followed by an empty line" % number)
        key = (m.group(4) + b" " + m.group(5)).decode()
        f = FROM.search(line)
        renamed = (m.group(4) + b" " + f.group(1)).decode() if f else None
        out.append((key, m.group(6).decode(), m.group(7).decode().split(","), m.group(8).decode(), stmt, renamed))
        pos += n + 2
    return out


def run(stmts, states):
    """The statements of the steps whose guards hold, states updated with
    what they set (every step when states is None)."""
    out = []
    for key, kind, guard, sets, stmt, renamed in stmts:
        if states is not None:
            now = states.get(renamed or key, "absent")
            held = now in guard or ("present" in guard and now != "absent")
            if held != (kind == "when") or (renamed and states.get(key, "absent") != "absent"):
                continue
            states[key] = sets
            if renamed:
                states[renamed] = "absent"
        out.append(stmt.rstrip(b";") + b"\n;;\n")
    return b"".join(out)


def main():
    data = open(sys.argv[1], "rb").read()
    try:
        stmts = statements(data)
    except (ValueError, IndexError) as e:
        print("invalid plan: %s" % e, file=sys.stderr)
        return 1
    if "--check" in sys.argv:
        return 0
    state_file = sys.argv[sys.argv.index("--state") + 1] if "--state" in sys.argv else None
    rerun_file = sys.argv[sys.argv.index("--rerun") + 1] if "--rerun" in sys.argv else None
    states = (json.load(open(state_file)) if os.path.exists(state_file) else {}) if state_file else None
    sys.stdout.buffer.write(run(stmts, states))
    sys.stdout.flush()
    if state_file and rerun_file:
        with open(rerun_file, "wb") as f:
            f.write(run(stmts, states))
    if state_file:
        json.dump(states, open(state_file, "w"), indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
