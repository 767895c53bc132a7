#!/usr/bin/env python3
"""Acceptance and printer fidelity of mvdc on real SELECTs, against chDB.

    python3 tests/bench/select_fidelity.py DIR [--sample N] [--seed S] [--show K]

DIR is a folder of .sql files, such as tests/queries/0_stateless of
ClickHouse's repository (or tests/clickhouse-reference of
ClickHouse/clickhouse-node-parser, which holds copies). The script splits
each file into statements, keeps the SELECTs (those starting with SELECT,
WITH or a parenthesis) that chDB's parser accepts (EXPLAIN AST), and
reports for them:
  accepted     mvdc parses it (build/release/select_print);
  same AST     chDB's EXPLAIN AST of mvdc's printed text equals the
               original's (the printer kept its meaning);
  differ       the printed text parses to a different AST;
  unreadable   chDB cannot parse the printed text.
Statements with query parameters ({x:T}), FORMAT (also when SETTINGS
follow it) or INTO OUTFILE are left out. Nothing is copied into the project; the folder is only read."""
import argparse
import collections
import os
import random
import re
import subprocess
import sys
import tempfile


def split_statements(text):
    """Splits SQL text on `;` outside strings, quoted names and comments."""
    out, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in '\'"`':
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == '\\' else 1
            i += 1
        elif text.startswith('--', i) or text.startswith('#!', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            i = n if j < 0 else j + 2
        elif c == ';':
            out.append(text[start:i])
            start = i = i + 1
        else:
            i += 1
    out.append(text[start:])
    return out


def strip_comments(s):
    return re.sub(r'^(\s*--[^\n]*\n|\s+)+', '', s)


def selects(folder):
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.sql'):
            continue
        try:
            text = open(os.path.join(folder, name), encoding='utf-8').read()
        except (UnicodeDecodeError, OSError):
            continue
        for stmt in split_statements(text):
            s = strip_comments(stmt).strip()
            if not re.match(r'(?is)^(select|with|\()\b', s) and not s.startswith('('):
                continue
            if re.search(r'\{[a-zA-Z_][a-zA-Z0-9_]*:', s) or re.search(r'(?is)\bformat\s+`?\w+`?(\s+settings\s.*)?$', s) \
                    or re.search(r'(?i)into\s+outfile', s) or '\n;;' in s or s.startswith(';;'):
                continue
            yield name, s


def run(cmd, text):
    p = subprocess.run(cmd, input=text.encode('utf-8', 'replace'), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.stdout.decode('utf-8', 'replace')


def explain_all(chdb, db, stmts, chunk=500):
    res = []
    for k in range(0, len(stmts), chunk):
        part = stmts[k:k + chunk]
        text = ''.join('EXPLAIN AST %s\n;;\nSELECT \'@@@\'\n;;\n' % s for s in part)
        out = run([chdb, db], text).split('@@@\n')
        res += [x.strip() for x in out[:len(part)]]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('folder')
    ap.add_argument('--sample', type=int, default=5000)
    ap.add_argument('--seed', type=int, default=14)
    ap.add_argument('--show', type=int, default=0, help='print K examples of each failure kind')
    ap.add_argument('--select-print', default='build/release/select_print')
    ap.add_argument('--chdb-query', default='build/engines/chdb_query')
    args = ap.parse_args()

    found = list(selects(args.folder))
    random.Random(args.seed).shuffle(found)
    with tempfile.TemporaryDirectory() as db:
        cand = found[:int(args.sample * 1.3) + 50]
        ast = explain_all(args.chdb_query, db, [s for _, s in cand])
        valid = [(f, s, a) for (f, s), a in zip(cand, ast) if not a.startswith('ERROR')][:args.sample]
        printed = run([args.select_print], ''.join(s + '\n;;\n' for _, s, _ in valid)).split('\n;;\n')
        accepted = [(f, s, a, p) for (f, s, a), p in zip(valid, printed) if not p.startswith('ERROR ')]
        rejected = [(f, s, p) for (f, s, a), p in zip(valid, printed) if p.startswith('ERROR ')]
        ast2 = explain_all(args.chdb_query, db, [p for _, _, _, p in accepted])
    same = sum(1 for (_, _, a, _), b in zip(accepted, ast2) if a == b)
    unreadable = [(f, s, p, b) for (f, s, a, p), b in zip(accepted, ast2) if b.startswith('ERROR')]
    differ = [(f, s, p) for (f, s, a, p), b in zip(accepted, ast2) if a != b and not b.startswith('ERROR')]
    n = len(valid)
    pct = lambda k, m: 100.0 * k / m if m else 0.0
    print('folder: %s (%d SELECT statements found, %d sampled that chDB parses)' % (args.folder, len(found), n))
    print('accepted by mvdc:       %5d  %6.2f%%' % (len(accepted), pct(len(accepted), n)))
    print('printed, same AST:      %5d  %6.2f%% of accepted' % (same, pct(same, len(accepted))))
    print('printed, different AST: %5d  %6.2f%% of accepted' % (len(differ), pct(len(differ), len(accepted))))
    print('printed, unreadable:    %5d  %6.2f%% of accepted' % (len(unreadable), pct(len(unreadable), len(accepted))))
    why = collections.Counter(re.sub(r'^ERROR \d+:\d+ ', '', p).split(',')[0][:70] for _, _, p in rejected)
    print('most frequent rejections:')
    for msg, k in why.most_common(12):
        print('  %5d  %s' % (k, msg))
    if args.show:
        for title, items in [('rejected', rejected), ('different AST', differ), ('unreadable', unreadable)]:
            print('== %s' % title)
            for it in items[:args.show]:
                print('  %s: %s\n    -> %s' % (it[0], it[1][:300].replace('\n', ' '), it[2][:300].replace('\n', ' ')))


if __name__ == '__main__':
    main()
