#!/usr/bin/env python3
"""The workflows of docs/ci.md, run as written: every `run:` command of
both jobs (except the steps named "Install mvd": bin/ is put on the PATH
instead), in a git repository with two releases of a pipeline, the
release job against a ClickHouse 18.16 server this script starts
(tests/engines/ch18.sh) with the password in the environment as a secret
would put it. `gh` is a stand-in that checks its arguments and keeps the
comment. Also checks that the PR job fails when it should: an unformatted
file, a stale plan.

    python3 tests/ci/run.py

Prints PASS/FAIL lines; exits 1 when any failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CH18 = os.path.join(ROOT, "tests/engines/ch18.sh")
PROJECT = os.path.join(ROOT, "tests/runtime/projects/shop18")
FAILED = []


def report(ok, name, detail=""):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        FAILED.append(name)
        for line in detail.splitlines()[:40]:
            print("    " + line)


def workflows():
    """The YAML blocks of docs/ci.md, in order: (name, [(step name, run)])."""
    text = open(os.path.join(ROOT, "docs/ci.md")).read()
    out = []
    for block in text.split("```yaml\n")[1:]:
        doc = yaml.safe_load(block.split("```")[0])
        for job in doc["jobs"].values():
            steps = [(s.get("name", ""), s["run"]) for s in job["steps"] if "run" in s]
            out.append((doc["name"], steps, job.get("env", {})))
    return out


def sh(cmd, cwd, env):
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=ci", "-c", "user.email=ci@example.com"] + list(args),
                   check=True, capture_output=True)


def release_sources(repo, version):
    dst = os.path.join(repo, "pipelines")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(PROJECT, version), dst)
    subprocess.run([os.path.join(ROOT, "bin/mvdc"), "fmt", "pipelines/"], cwd=repo, check=True)
    subprocess.run([os.path.join(ROOT, "bin/mvdc"), "build", "-o", "plan.sql", "pipelines/"], cwd=repo,
                   check=True, capture_output=True)


def make_repo(tmp):
    """origin: main at v1 (sources and plan); a clone with branch pr at v2."""
    origin, work = os.path.join(tmp, "origin.git"), os.path.join(tmp, "work")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", origin], check=True)
    subprocess.run(["git", "clone", "-q", origin, work], check=True, capture_output=True)
    git(work, "checkout", "-q", "-b", "main")
    release_sources(work, "v1")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "v1")
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", "pr")
    release_sources(work, "v2")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "v2")
    git(work, "fetch", "-q", "origin")
    return work


def stand_in_gh(tmp):
    """gh pr comment [--edit-last] NUMBER --body-file FILE: keeps the body."""
    bindir = os.path.join(tmp, "gh-bin")
    os.makedirs(bindir)
    with open(os.path.join(bindir, "gh"), "w") as f:
        f.write('#!/bin/sh\n[ "$1 $2" = "pr comment" ] || exit 2\nshift 2\n'
                'for a; do case "$prev" in --body-file) cp "$a" "%s/comment.md";; esac; prev=$a; done\n'
                'case " $* " in *" 7 "*) ;; *) exit 2;; esac\n[ -s "%s/comment.md" ]\n' % (tmp, tmp))
    os.chmod(os.path.join(bindir, "gh"), 0o755)
    return bindir


def run_job(name, steps, cwd, env, expect=()):
    for step, cmd in steps:
        if step == "Install mvd":
            continue
        r = sh(cmd, cwd, env)
        report(r.returncode == 0, "ci/%s/%s" % (name, step), "%s\nexit %d\n%s%s" % (cmd, r.returncode, r.stdout, r.stderr))


def main():
    tmp = tempfile.mkdtemp(prefix="mvd-ci.")
    ch18 = os.path.join(tmp, "ch18")
    try:
        jobs = workflows()
        report(len(jobs) == 2, "ci/two-workflows", str(jobs))
        pr, release = jobs[0], jobs[1]
        work = make_repo(tmp)
        env = dict(os.environ, PATH="%s:%s:%s" % (stand_in_gh(tmp), os.path.join(ROOT, "bin"), os.environ["PATH"]),
                   GITHUB_BASE_REF="main", PR_NUMBER="7", GH_TOKEN="t")
        run_job(pr[0], pr[1], work, env)
        comment = open(os.path.join(tmp, "comment.md")).read() if os.path.exists(os.path.join(tmp, "comment.md")) else ""
        report(comment.startswith("### mvd plan:") and "shop18.orders" in comment and "added column" in comment,
               "ci/pr-comment-says-what-changed", comment)
        # The checks fail when they must.
        steps = dict(pr[1])
        with open(os.path.join(work, "pipelines/shop.mvd"), "a") as f:
            f.write("\nview   extra  pulls_from orders as select ts from orders;\n")
        r = sh(steps["The sources are formatted"], work, env)
        report(r.returncode == 1 and "pipelines/shop.mvd" in r.stdout, "ci/pr-fmt-check-fails-unformatted", r.stdout + r.stderr)
        r = sh(steps["The committed plan is what the sources give"], work, env)
        report(r.returncode == 1 and "stale" in r.stderr, "ci/pr-build-check-fails-stale", r.stderr)
        git(work, "checkout", "-q", "--", "pipelines")
        # The release job: main's plan, then the pull request's.
        out = subprocess.run([CH18, "start", ch18], capture_output=True, text=True)
        if out.returncode != 0:
            report(False, "ci/ch18-start", out.stderr)
            return 1
        secrets = {"secrets.CLICKHOUSE_URL": out.stdout.strip(), "secrets.CLICKHOUSE_USER": "mvd",
                   "secrets.CLICKHOUSE_PASSWORD": "mvd-secret"}
        renv = dict(env)
        for k, v in release[2].items():
            renv[k] = secrets[v.strip("${} ")]
        for branch in ("main", "pr"):
            git(work, "checkout", "-q", branch)
            run_job("%s(%s)" % (release[0], branch), release[1], work, renv)
            rep = json.load(open(os.path.join(work, "mvrun-report.json")))
            report(rep["outcome"] == "done" and rep["exit_code"] == 0, "ci/release(%s)-report" % branch, str(rep))
        log = sh("mvrun status plan.sql", work, renv)
        report("mvd-secret" not in log.stdout + log.stderr, "ci/release-password-never-printed")
    finally:
        subprocess.run([CH18, "stop", ch18], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
