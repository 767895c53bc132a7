#!/usr/bin/env python3
"""The editor grammars against every example and golden .mvd file.

    python3 tests/editors/check.py NODE_MODULES

Each file is read by a small lexer here that follows grammar/lexer.re
(comments, doc comments, strings, quoted names, words), independently of
both grammars. Then every character is checked in the scopes that
vscode-textmate gives it with editors/mvd.tmLanguage.json, and in the
syntax groups vim gives it with editors/vim/syntax/mvd.vim:

- a comment is a comment (a `---` doc comment a documentation comment),
  a string a string, a quoted name a quoted name;
- code is neither comment nor string;
- a keyword of the lexer is a keyword (or the name a declaration declares);
- the name after table/view/database/function is the declared name.

Prints `PASS editors/textmate (...)` and `PASS editors/vim (...)`, or FAIL
with the first differences (file:line:col, the text, what was expected,
what the grammar said).
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "editors"))
import generate  # noqa: E402

KEYWORDS = set(generate.keywords())
DECLARING = set(generate.DECLARING)


def files():
    pats = ["examples/**/*.mvd", "docs/examples/*.mvd", "tests/golden/**/*.mvd", "tests/pipelines/**/*.mvd",
            "tests/runtime/projects/**/*.mvd", "stdlib/**/*.mvd"]
    out = []
    for p in pats:
        out += sorted(glob.glob(os.path.join(ROOT, p), recursive=True))
    return out


def classify(text):
    """Per character: 'doc', 'comment', 'string', 'quoted' or 'code'; and
    the code words as (start, end, kind): kind 'keyword', 'declared' or
    'name'."""
    cls = ["code"] * len(text)
    words = []
    i, n = 0, len(text)
    prev_word = None
    while i < n:
        c = text[i]
        if text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            kind = "doc" if text.startswith("---", i) else "comment"
            cls[i:j] = [kind] * (j - i)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            cls[i:j] = ["comment"] * (j - i)
            i = j
        elif c in "'`\"":
            j = i + 1
            while j < n:
                if text[j] == "\\":
                    j += 2
                elif text[j] == c and j + 1 < n and text[j + 1] == c:
                    j += 2
                elif text[j] == c:
                    j += 1
                    break
                else:
                    j += 1
            kind = "string" if c == "'" else "quoted"
            cls[i:j] = [kind] * (j - i)
            if kind == "quoted" and prev_word in DECLARING:
                words.append((i, j, "declared"))
            prev_word = None if kind == "string" else "(name)"
            i = j
        elif c.isalpha() or c == "_" or ord(c) >= 0x80:
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_" or ord(text[j]) >= 0x80):
                j += 1
            w = text[i:j]
            after = text[j:j + 1]
            if prev_word in DECLARING and w.lower() not in ("if", "as", "pulls_from", "pushes_to"):
                words.append((i, j, "declared"))
            elif w.lower() in KEYWORDS and w.lower() not in DECLARING and w.lower() != "option":
                words.append((i, j, "keyword"))
            prev_word = w.lower()
            i = j
            if after == ".":
                prev_word = prev_word if prev_word not in DECLARING else None
        elif c.isdigit():
            j = i
            while j < n and (text[j].isalnum() or text[j] in "._"):
                j += 1
            prev_word = "(number)"
            i = j
        else:
            if not c.isspace():
                prev_word = None if c != "." else prev_word
            i += 1
    return cls, words


def offsets(text, unit):
    """The column, in `unit`s (utf16 or bytes), of each character in its line."""
    out, col = [], 0
    for ch in text:
        out.append(col)
        if ch == "\n":
            col = 0
        else:
            col += len(ch.encode("utf-16-le")) // 2 if unit == "utf16" else len(ch.encode("utf-8"))
    return out


def line_of(text):
    out, line = [], 0
    for ch in text:
        out.append(line)
        line += ch == "\n"
    return out


# What each expectation accepts, in TextMate scopes and in vim groups.
TM = {
    "doc": lambda s: "comment.line.documentation" in s,
    "comment": lambda s: "comment." in s,
    "string": lambda s: "string.quoted" in s,
    "quoted": lambda s: "variable.other.quoted" in s or "entity.name.type" in s,
    "code": lambda s: "comment." not in s and "string." not in s,
    "keyword": lambda s: "keyword." in s or "storage.type" in s or "variable.parameter" in s,
    "declared": lambda s: "entity.name.type" in s,
}
VIM = {
    "doc": lambda g: g == "mvdDocComment",
    "comment": lambda g: g == "mvdComment",
    "string": lambda g: g == "mvdString",
    "quoted": lambda g: g in ("mvdQuoted", "mvdDeclName"),
    "code": lambda g: g not in ("mvdComment", "mvdDocComment", "mvdString"),
    "keyword": lambda g: g in ("mvdKeyword", "mvdLineage", "mvdDeclare", "mvdType", "mvdOptionName"),
    "declared": lambda g: g == "mvdDeclName",
}


def check(path, text, lookup, accepts, unit, problems):
    """lookup(line, col) -> the scope string or group at that position."""
    cls, words = classify(text)
    cols, lines = offsets(text, unit), line_of(text)
    checked = 0
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        got = lookup(lines[i], cols[i])
        checked += 1
        if not accepts[cls[i]](got):
            problems.append("%s:%d:%d: %r is %s, got %r" % (os.path.relpath(path, ROOT), lines[i] + 1, cols[i] + 1,
                                                            ch, cls[i], got))
    for start, end, kind in words:
        got = lookup(lines[start], cols[start])
        checked += 1
        if not accepts[kind](got):
            problems.append("%s:%d:%d: %r is %s, got %r" % (os.path.relpath(path, ROOT), lines[start] + 1,
                                                            cols[start] + 1, text[start:end], kind, got))
    return checked


def textmate(modules, paths, texts):
    grammar = os.path.join(ROOT, "editors/mvd.tmLanguage.json")
    r = subprocess.run(["node", os.path.join(ROOT, "tests/editors/tokenize.js"), modules, grammar] + paths,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr
    tokens = json.loads(r.stdout)
    problems, checked = [], 0
    for p in paths:
        at = {}
        for line, start, end, scopes in tokens[p]:
            for c in range(start, end):
                at[(line, c)] = scopes
        checked += check(p, texts[p], lambda l, c: at.get((l, c), ""), TM, "utf16", problems)
    return (checked, problems), None


def vim(paths, texts):
    with tempfile.NamedTemporaryFile(suffix=".out", delete=False) as f:
        out = f.name
    try:
        r = subprocess.run(["vim", "-Nu", "NONE", "-i", "NONE", "-es", "--cmd",
                            "set rtp^=" + os.path.join(ROOT, "editors/vim"), "-S",
                            os.path.join(ROOT, "tests/editors/vimdump.vim"), "--"] + paths,
                           capture_output=True, text=True, env=dict(os.environ, VIMDUMP_OUT=out), timeout=600)
        dump = open(out, encoding="utf-8", errors="replace").read().split("\n")
    finally:
        os.unlink(out)
    groups, cur = {}, None
    for line in dump:
        if line.startswith("== "):
            cur = line[3:]
            groups[cur] = []
        elif cur is not None:
            groups[cur].append(line.split("|") if line else [])
    problems, checked = [], 0
    for p in paths:
        rows = groups.get(p)
        if rows is None:
            return None, "vim wrote nothing for %s (exit %d): %s" % (p, r.returncode, r.stderr[:400])

        def at(l, c, rows=rows):
            return rows[l][c] if l < len(rows) and c < len(rows[l]) else ""
        checked += check(p, texts[p], at, VIM, "bytes", problems)
    return (checked, problems), None


def report(name, result, err, nfiles):
    if err:
        print("FAIL editors/%s\n    %s" % (name, err.replace("\n", "\n    ")))
        return False
    checked, problems = result
    if problems:
        print("FAIL editors/%s (%d of %d positions wrong)" % (name, len(problems), checked))
        kinds = {}
        for p in problems:
            k = p.split(": ", 1)[1].split(" is ", 1)[1]
            k = re.sub(r"^(\w+), got .*?(\S+)'$", r"\1 -> \2", k)
            kinds[k] = kinds.get(k, 0) + 1
        for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:12]:
            print("    %6d  %s" % (v, k))
        for p in problems[:30]:
            print("    " + p)
        return False
    print("PASS editors/%s (%d files, %d positions)" % (name, nfiles, checked))
    return True


def main():
    modules = sys.argv[1]
    # A file that is not UTF-8 (a golden case of the lexer's) is no text
    # an editor grammar is asked about.
    texts = {}
    for p in files():
        try:
            texts[p] = open(p, encoding="utf-8").read()
        except UnicodeDecodeError:
            pass
    paths = list(texts)
    ok = True
    stale = subprocess.run([sys.executable, os.path.join(ROOT, "editors/generate.py"), "--check"],
                           capture_output=True, text=True)
    if stale.returncode == 0:
        print("PASS editors/generated-from-lexer")
    else:
        print("FAIL editors/generated-from-lexer\n    " + stale.stdout.strip())
        ok = False
    ok &= report("textmate", *textmate(modules, paths, texts), len(paths))
    ok &= report("vim", *vim(paths, texts), len(paths))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
