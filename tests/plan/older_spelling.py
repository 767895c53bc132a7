#!/usr/bin/env python3
"""Rewrites a plan as an older mvdc that spelled CREATE statements
differently would have written it, for tests/plan/respell.sh.

    older_spelling.py PLAN OUT [--change QNAME]

Every CREATE keeps its meaning but not its bytes: the object's name is
`quoted`, the table columns' names quoted the other way (plain where this
mvdc quotes them), and the indentation differs. Each object's hash becomes another value (an older printer's text
hashes differently), everywhere the plan names it; bytes=, sha256= and
plan-sha256 are recomputed, so the result is a valid, unedited plan, in
format 1 as older mvdc wrote it (steps numbered, `src=PATH:1`): mvdc
still reads such a plan as the previous one.

--change QNAME also changes that table's last column type in the old
spelling (to a narrower one, UInt16 for UInt32, or else String): a real difference, which
must not pass for a respelling."""
import hashlib
import re
import sys

# The old type: one the new one widens (an ALTER), else String.
NARROWER = {b"UInt32": b"UInt16", b"UInt64": b"UInt32", b"Int32": b"Int16", b"Int64": b"Int32",
            b"Float64": b"Float32"}

STEP = re.compile(rb"^(-- @step \S+ (\S+) (\S+) (\S+) .*) bytes=(\d+) sha256=([0-9a-f]{64})(.*)$")


def respell(sql, qname, change):
    head, sep, body = sql.partition(b"\n")
    def q(part):
        return part if part.startswith(b"`") else b"`" + part + b"`"
    db, _, name = qname.partition(b".")
    quoted = q(db) + b"." + q(name) if name else q(db)
    head = head.replace(b" " + qname + b" ", b" " + quoted + b" ", 1)
    if head.endswith(b" " + qname):
        head = head[:-len(qname)] + quoted
    lines = body.split(b"\n")
    columns = []
    for i, line in enumerate(lines):
        m = re.match(rb"^    (`?)([A-Za-z_][A-Za-z0-9_]*)\1 (\S.*)$", line)
        if m and head.startswith(b"CREATE TABLE") and m.group(2) not in (b"INDEX", b"CONSTRAINT", b"PROJECTION"):
            rest = m.group(3)
            columns.append(i)
            name = m.group(2) if m.group(1) else b"`" + m.group(2) + b"`"  # the other quoting
            lines[i] = b"  " + name + b" " + rest
        elif line.startswith(b"    "):
            lines[i] = b"  " + line[4:]
    if change and columns:  # the last column: keys use the first ones
        name, _, rest = lines[columns[-1]][2:].partition(b" ")
        t = re.match(rb"^[A-Za-z0-9]+(\([^)]*\))?", rest).group(0)
        lines[columns[-1]] = b"  " + name + b" " + NARROWER.get(t, b"String") + rest[len(t):]
    return head + sep + b"\n".join(lines)


def main():
    plan, out = sys.argv[1], sys.argv[2]
    change = sys.argv[sys.argv.index("--change") + 1].encode() if "--change" in sys.argv else None
    data = open(plan, "rb").read()
    body = data.split(b"\n", 2)[2]
    hashes = set(re.findall(rb"^-- @object \S+ \S+ ([0-9a-f]{64})", body, re.M))
    result, pos, number = [], 0, 0
    while pos < len(body):
        end = body.index(b"\n", pos)
        line = body[pos:end]
        pos = end + 1
        m = STEP.match(line)
        if not m:
            result.append(line + b"\n")
            continue
        n = int(m.group(5))
        sql = body[pos:pos + n]
        pos += n + 2
        if m.group(2) in (b"create", b"replace") and sql.startswith(b"CREATE"):
            sql = respell(sql, m.group(4), change == m.group(4))
        digest = hashlib.sha256(sql).hexdigest().encode()
        number += 1
        if b"window" in m.group(7):
            sys.exit("older_spelling.py: a plan with a window (format 1 numbered it) is not handled")
        header = re.sub(rb" src=(\S+)", lambda s: b" src=" + s.group(1) + (b"" if s.group(1) == b"-" else b":1"),
                        m.group(1).replace(b"-- @step ", b"-- @step %d " % number, 1))
        result.append(b"%s bytes=%d sha256=%s%s\n%s\n\n" % (header, len(sql), digest, m.group(7), sql))
    text = b"".join(result)
    for h in hashes:
        text = text.replace(h, hashlib.sha256(b"older " + h).hexdigest().encode())
    head = b"-- mvd plan 1\n-- plan-sha256: " + hashlib.sha256(text).hexdigest().encode() + b"\n"
    open(out, "wb").write(head + text)


if __name__ == "__main__":
    main()
