#!/usr/bin/env python3
"""Checks every example of docs/language.md against bin/mvdc.

Conventions in the markdown:
  ```mvd            a source file. Unnamed: written to the file that the
                    following console block checks, or else checked alone
                    (with the prelude, if one is on) and must be clean.
  <!-- file: P -->  names the next mvd block P; named blocks accumulate
                    until a console block runs.
  <!-- prelude: examples/analytics.mvd -->  / <!-- prelude: none -->
                    clean blocks are checked together with that file.
  ```console        `$ cmd` lines run with bash in a scratch copy of docs/
                    (mvdc on PATH); the lines after each are its exact
                    output (stdout and stderr together).
"""
import os, re, shutil, subprocess, sys, tempfile

ROOT = [a for a in sys.argv[1:] if not a.startswith('--')]
ROOT = ROOT[0] if ROOT else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, 'docs/language.md')
BIN = os.path.join(ROOT, 'bin')

text = open(DOC, encoding='utf-8').read()
lines = text.split('\n')

blocks = []  # (kind, info, body, lineno, directive)
i = 0
pending_file = None
events = []
while i < len(lines):
    l = lines[i]
    m = re.match(r'^<!-- (file|prelude): (.*?) -->$', l.strip())
    if m:
        events.append((m.group(1), m.group(2), i + 1))
        i += 1
        continue
    m = re.match(r'^(\s*)```(\w*)\s*$', l)
    if m:
        indent, info = m.group(1), m.group(2)
        j = i + 1
        body = []
        while not re.match(r'^\s*```\s*$', lines[j]):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        events.append(('block', info, '\n'.join(body) + '\n', i + 1))
        i = j + 1
        continue
    i += 1

failures = 0
checked = 0
UPDATE = '--update' in sys.argv
updates = {}  # console block start line -> new body
prelude = None
scratch = None
named = []
pending = None  # unnamed mvd block waiting for a console block


def new_scratch():
    d = tempfile.mkdtemp(prefix='mvddoc')
    shutil.copytree(os.path.join(ROOT, 'docs/examples'), os.path.join(d, 'examples'))
    return d


def run(cmd, cwd):
    env = dict(os.environ, PATH=BIN + ':' + os.environ['PATH'])
    p = subprocess.run(['bash', '-c', cmd + ' 2>&1'], cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.stdout.decode('utf-8', 'replace'), p.returncode


def fail(line, msg):
    global failures
    failures += 1
    print(f'language.md:{line}: {msg}')


def flush_clean():
    """An mvd block that no console block checked: must be clean."""
    global pending, checked
    if pending is None:
        return
    body, line = pending
    pending = None
    d = new_scratch()
    with open(os.path.join(d, 'example.mvd'), 'w') as f:
        f.write(body)
    cmd = 'mvdc check ' + (prelude + ' ' if prelude else '') + 'example.mvd'
    out, rc = run(cmd, d)
    checked += 1
    if out or rc != 0:
        fail(line, f'expected a clean check, got exit {rc}:\n{out}')
    shutil.rmtree(d)


next_name = None
for ev in events:
    kind, info, arg = ev[0], ev[1], ev[2] if len(ev) > 2 else None
    if kind == 'prelude':
        flush_clean()
        prelude = None if info == 'none' else info
        continue
    if kind == 'file':
        flush_clean()
        next_name = info
        continue
    body, line = arg, ev[3]
    if info == 'mvd':
        flush_clean()
        if next_name:
            named.append((next_name, body))
            next_name = None
        else:
            pending = (body, line)
        continue
    if info != 'console':
        continue
    # console block: run each $ command
    d = new_scratch()
    for name, b in named:
        os.makedirs(os.path.dirname(os.path.join(d, name)) or d, exist_ok=True)
        with open(os.path.join(d, name), 'w') as f:
            f.write(b)
    cmds = []
    for l in body.rstrip('\n').split('\n'):
        if l.startswith('$ '):
            cmds.append([l[2:], []])
        elif cmds:
            cmds[-1][1].append(l)
        else:
            fail(line, 'console block must start with $')
    if pending is not None:
        target = [t for t in cmds[0][0].split() if t.endswith('.mvd') and not t.startswith('examples/')]
        if not target:
            fail(line, 'no file for the mvd block above')
        else:
            p = os.path.join(d, target[-1])
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w') as f:
                f.write(pending[0])
        pending = None
    newbody = []
    for cmd, expected in cmds:
        out, rc = run(cmd, d)
        checked += 1
        exp = '\n'.join(expected)
        newbody.append('$ ' + cmd)
        if out.rstrip('\n'):
            newbody.append(out.rstrip('\n'))
        if out.rstrip('\n') != exp.rstrip('\n'):
            fail(line, f'`{cmd}` printed:\n{out}--- expected:\n{exp}\n')
            updates[line] = newbody
    named = []
    shutil.rmtree(d)
flush_clean()
if UPDATE and updates:
    out = []
    k = 0
    while k < len(lines):
        out.append(lines[k])
        if (k + 1) in updates:
            body = updates[k + 1]
            # keep the indent-free console body; skip the old one
            k += 1
            while not re.match(r'^\s*```\s*$', lines[k]):
                k += 1
            out.extend('\n'.join(body).split('\n'))
            out.append(lines[k])
        k += 1
    open(DOC, 'w', encoding='utf-8').write('\n'.join(out))
    print(f'updated {len(updates)} console blocks')
print(f'{checked} example runs, {failures} failures')
sys.exit(1 if failures else 0)
