#!/usr/bin/env python3
"""Retention of old versions (option keep_versions, docs/plan-format.md):
a plan stays proportional to the project over hundreds of releases, and
mvrun refuses a database older than every version a plan knows, naming
the plan to apply first.

A generated project (a table that gains one column per release, an MV
into a second table that reads only `ts`, a view over the newest column)
is built release after release, each from the previous plan:

  1. 200 releases with the default (20 versions): from release 22 on, the
     step count no longer changes, the table keeps at most 21 @state lines
     and 20 ALTER steps, the view 21 @state lines; the plan's size grows
     only with the table's columns (linear); with RETENTION_COMPARE=1 in
     the environment, also 200 releases with keep_versions = 1000 (every
     version kept, as before retention), which grow quadratically.
  2. 20 releases with keep_versions = 5 applied with mvrun on chDB:
     release 1, then 4 (3 behind: applies), then 20 (16 behind: refused
     with exit 3 and no DDL, naming the plan whose @object line has the
     oldest version it knows); following each advice (20 -> 15 -> 10 -> 5)
     ends in plans that apply, and then release 20 applies.
  3. Removed objects (@removed lines): 40 releases with keep_versions = 3,
     each declaring one view of its own (v_R), so each release removes
     the previous one's: from release 5 on, every plan has exactly 3
     @removed lines (removal=R-3..R-1) and 3 teardown drops. On chDB,
     release 1 then release 10 is refused (exit 3, nothing run) naming
     the `-- @removed view d.v_1` line; applying the latest plan with
     that line, and so on as advised, ends with release 10 applied and
     converged, v_10 the only view left on the server.

    retention.py MVDC MVRUN WORKDIR
Prints PASS/FAIL lines and the measured sizes."""
import os
import re
import shutil
import subprocess
import sys

MVDC, MVRUN, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0


def report(ok, name, detail=""):
    global failures
    print("%s retention/%s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        failures += 1
        for line in str(detail).splitlines()[:30]:
            print("    " + line)


def source(release, keep):
    cols = "".join("    c%d UInt32 default 0,\n" % i for i in range(1, release + 1))
    option = "option keep_versions = %d;\n" % keep if keep else ""
    return ("option clickhouse = '24.8';\n%s"
            "database d;\n\n"
            "table events (\n    ts DateTime,\n%s)\nengine = MergeTree\norder by ts;\n\n"
            "table totals (\n    day Date,\n    n   SimpleAggregateFunction(sum, UInt64),\n)\n"
            "engine = AggregatingMergeTree\norder by day;\n\n"
            "materialized view totals_mv\n    pulls_from events\n    pushes_to totals\n"
            "as select toDate(ts) as day, count() as n from events group by day;\n\n"
            "view newest\n    pulls_from events\nas select ts, c%d from events;\n"
            % (option, cols, release))


def removals_source(release, keep):
    return ("option clickhouse = '24.8';\noption keep_versions = %d;\ndatabase d;\n\n"
            "table events (ts DateTime) engine = MergeTree order by ts;\n\n"
            "view v_%d\n    pulls_from events\nas select ts from events;\n" % (keep, release))


def build_series(name, releases, keep, make_source=None):
    """Builds releases 1..N, each from the previous plan; returns the plan paths."""
    base = os.path.join(WORK, name)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(os.path.join(base, "src"))
    plans = [None]
    for r in range(1, releases + 1):
        with open(os.path.join(base, "src", "p.mvd"), "w") as f:
            f.write((make_source or source)(r, keep))
        plan = os.path.join(base, "plan-%d.sql" % r)
        args = [MVDC, "build", "-o", plan, "src"]
        if plans[-1]:
            shutil.copy(plans[-1], plan)
        else:
            args.insert(2, "--no-previous")
        p = subprocess.run(args, cwd=base, capture_output=True, text=True)
        if p.returncode != 0:
            report(False, "%s: release %d builds" % (name, r), p.stderr)
            return None
        plans.append(plan)
    return plans


def stats(plan):
    text = open(plan).read()
    return {"bytes": len(text.encode()),
            "steps": text.count("\n-- @step "),
            "table_states": len(re.findall(r"^-- @state table d\.events ", text, re.M)),
            "table_alters": len(re.findall(r"^-- @step setup alter table d\.events ", text, re.M)),
            "view_states": len(re.findall(r"^-- @state view d\.newest ", text, re.M))}


def bounded_over_200():
    plans = build_series("default", 200, 0)
    if not plans:
        return
    s = {r: stats(plans[r]) for r in (1, 21, 22, 50, 100, 150, 200)}
    steps_later = {stats(plans[r])["steps"] for r in range(22, 201)}
    print("# keep_versions 20: release: bytes/steps " +
          ", ".join("%d: %d/%d" % (r, s[r]["bytes"], s[r]["steps"]) for r in sorted(s)))
    report(len(steps_later) == 1, "keep-20: the step count is the same from release 22 to 200",
           "step counts seen: %s" % sorted(steps_later))
    last = s[200]
    report(last["table_states"] <= 21 and last["table_alters"] == 20 and last["view_states"] <= 21,
           "keep-20: release 200 keeps 20 earlier versions of the table and of the view", last)
    # Linear in the table's columns: each kept @state lists them all.
    report(last["bytes"] < 2.2 * s[100]["bytes"], "keep-20: plan size linear in the project (200 vs 100)",
           "%d bytes at 200, %d at 100" % (last["bytes"], s[100]["bytes"]))
    # The comparison (every version kept, as before retention) costs 200
    # more builds of a growing plan: measured on request only.
    every = build_series("every", 200, 1000) if os.environ.get("RETENTION_COMPARE") else None
    if every:
        e100, e200 = stats(every[100]), stats(every[200])
        print("# keep_versions 1000 (every version): release 100: %d bytes, %d steps; 200: %d bytes, %d steps"
              % (e100["bytes"], e100["steps"], e200["bytes"], e200["steps"]))
        report(e200["bytes"] > 3 * e100["bytes"] and e200["bytes"] > 5 * last["bytes"],
               "keep-1000: every version kept grows quadratically (the case retention bounds)",
               "%d at 200, %d at 100" % (e200["bytes"], e100["bytes"]))


def mvrun(plan, db):
    return subprocess.run([MVRUN, "--url", "chdb:" + db, plan], capture_output=True, text=True)


def plan_with_object(plans, line):
    return [r for r in range(1, len(plans)) if line + "\n" in open(plans[r]).read()]


def refusal_on_chdb():
    plans = build_series("keep5", 20, 5)
    if not plans:
        return
    db = os.path.join(WORK, "chdb")
    shutil.rmtree(db, ignore_errors=True)
    for r in (1, 4):
        p = mvrun(plans[r], db)
        report(p.returncode == 0, "keep-5: release %d applies on chDB" % r, p.stdout + p.stderr)
    applied, stack, hops = [], [20], 0
    while stack and hops < 20:
        hops += 1
        target = stack[-1]
        p = mvrun(plans[target], db)
        if p.returncode == 0:
            applied.append(stack.pop())
            continue
        m = re.search(r"Apply first the plan whose manifest has `(-- @object table d\.events [0-9a-f]{64})`",
                      p.stdout + p.stderr)
        named = plan_with_object(plans, m.group(1)) if m else []
        ok = p.returncode == 3 and m is not None and len(named) == 1 and "nothing was run" in p.stdout + p.stderr
        report(ok, "keep-5: release %d on a database at an older version is refused, naming release %s"
               % (target, named[0] if len(named) == 1 else "?"), p.stdout + p.stderr + "\nplans with that line: %s" % named)
        if not ok:
            return
        stack.append(named[0])
    report(applied == [5, 10, 15, 20], "keep-5: following the advice applies 5, 10, 15, then 20",
           "applied in order: %s" % applied)
    p = mvrun(plans[20], db)
    report(p.returncode == 0 and "nothing to do" in p.stdout + p.stderr,
           "keep-5: release 20 converged (a re-run sends no DDL)", p.stdout + p.stderr)


def removed_lines(plan):
    return re.findall(r"^-- @removed view d\.(v_\d+)(?: removal=(\d+))?$", open(plan).read(), re.M)


def removed_bounded_and_refused():
    plans = build_series("removals", 40, 3, removals_source)
    if not plans:
        return
    bad = []
    for r in range(5, 41):
        got = sorted(removed_lines(plans[r]))
        want = sorted(("v_%d" % k, str(k)) for k in range(r - 3, r))
        drops = stats(plans[r])["steps"] - 3  # database, table, this release's view
        if got != want or drops != 3:
            bad.append("release %d: @removed %s, %d drops (want %s, 3)" % (r, got, drops, want))
    report(not bad, "removed: releases 5 to 40 keep the latest 3 removals (lines and drops)", "\n".join(bad))
    db = os.path.join(WORK, "chdb-removals")
    shutil.rmtree(db, ignore_errors=True)
    p = mvrun(plans[1], db)
    report(p.returncode == 0, "removed: release 1 applies on chDB", p.stdout + p.stderr)
    applied, stack, hops = [], [10], 0
    while stack and hops < 10:
        hops += 1
        p = mvrun(plans[stack[-1]], db)
        if p.returncode == 0:
            applied.append(stack.pop())
            continue
        out = p.stdout + p.stderr
        m = re.search(r"Apply first the plan whose manifest has `(-- @removed view d\.v_\d+)`", out)
        named = [r for r in range(1, len(plans)) if m and re.search("^" + re.escape(m.group(1)) + "( |$)",
                                                                    open(plans[r]).read(), re.M)]
        ok = p.returncode == 3 and m is not None and named and "nothing was run" in out
        report(ok, "removed: release %d with a forgotten view on the server is refused, naming %s"
               % (stack[-1], m.group(1)[3:] if m else "?"), out + "\nplans with that line: %s" % named)
        if not ok:
            return
        stack.append(max(named))
    p = mvrun(plans[10], db)
    chdb = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../build/engines/chdb_query")
    q = subprocess.run([chdb, db], input="SELECT name FROM system.tables WHERE database = 'd' AND engine = 'View'\n;;\n",
                       capture_output=True, text=True)
    report(applied[-1:] == [10] and p.returncode == 0 and "nothing to do" in p.stdout + p.stderr
           and q.stdout.split() == ["v_10"],
           "removed: following the advice (%s) ends with release 10 converged, v_10 the only view" % applied,
           p.stdout + p.stderr + "views: " + q.stdout + q.stderr)


os.makedirs(WORK, exist_ok=True)
bounded_over_200()
refusal_on_chdb()
removed_bounded_and_refused()
sys.exit(1 if failures else 0)
