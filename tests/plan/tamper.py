#!/usr/bin/env python3
"""Flips one bit (XOR 0x01) of every byte of a plan, one position at a
time, and checks that each edited copy is refused.

    tamper.py PLAN CASE_DIR RELEASE MVDC

For every position: tests/plan/statements.py's reader (in this process)
must refuse the copy, and `MVDC build --check -o COPY RELEASE`, run from
CASE_DIR, must exit non-zero. And with plan-sha256 recomputed after the
edit, a flip inside any statement must still be refused by the reader
(each statement's bytes= and sha256=). The unedited plan must pass both,
or the test proves nothing. Prints one PASS/FAIL line per reader, with the
positions that were accepted."""
import concurrent.futures
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import statements  # noqa: E402


def reader_accepts(data):
    try:
        statements.statements(data)
        return True
    except (ValueError, IndexError, UnicodeDecodeError):
        return False


def mvdc_accepts(mvdc, case, release, path):
    cmd = [mvdc, "build", "--check", "-o", path, release]
    return subprocess.run(cmd, cwd=case, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def edited_at(data, pos):
    return data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1:]


def rehashed(data):
    """The plan with line 2 made right again for what follows it."""
    first, second, rest = data.split(b"\n", 2)
    return first + b"\n-- plan-sha256: " + hashlib.sha256(rest).hexdigest().encode() + b"\n" + rest


def statement_positions(data):
    """Byte positions of every statement (framed by its header's bytes=)."""
    out, pos = [], 0
    for line in data.split(b"\n"):
        pos += len(line) + 1
        m = statements.HEADER.match(line)
        if m:
            out += range(pos, pos + int(m.group(9)))
    return out


def report(label, accepted, total):
    if accepted:
        shown = ", ".join(str(p) for p in accepted[:20])
        print("FAIL %s: %d of %d edited copies accepted (byte positions %s)" % (label, len(accepted), total, shown))
    else:
        print("PASS %s (%d positions)" % (label, total))


def main():
    plan, case, release, mvdc = sys.argv[1:5]
    name = os.path.basename(os.path.normpath(case)) + "/" + os.path.basename(plan)
    data = open(plan, "rb").read()
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "plan.sql")
        with open(copy, "wb") as f:
            f.write(data)
        if not reader_accepts(data) or not mvdc_accepts(mvdc, case, release, copy):
            print("FAIL tamper/%s: the unedited plan is refused" % name)
            return 1
        def edited(pos):
            return edited_at(data, pos)

        def mvdc_on(pos):
            path = os.path.join(tmp, "plan-%d.sql" % pos)
            with open(path, "wb") as f:
                f.write(edited(pos))
            accepted = mvdc_accepts(mvdc, case, release, path)
            os.unlink(path)
            return accepted

        bad_reader = [pos for pos in range(len(data)) if reader_accepts(edited(pos))]
        # Two mvdc processes at a time: the run is bound by process start-up.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            bad_mvdc = [pos for pos, ok in zip(range(len(data)), pool.map(mvdc_on, range(len(data)))) if ok]
    # An editor who fixes plan-sha256 after the edit: each statement's own
    # bytes= and sha256= must still catch a flip inside it.
    inside = statement_positions(data)
    bad_rehashed = [pos for pos in inside if reader_accepts(rehashed(edited_at(data, pos)))]
    report("tamper/%s: statements.py --check" % name, bad_reader, len(data))
    report("tamper/%s: mvdc build --check" % name, bad_mvdc, len(data))
    report("tamper/%s: statements.py --check, plan-sha256 recomputed, statement bytes" % name,
           bad_rehashed, len(inside))
    return 1 if bad_reader or bad_mvdc or bad_rehashed or not inside else 0


if __name__ == "__main__":
    sys.exit(main())
