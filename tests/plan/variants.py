#!/usr/bin/env python3
"""Writes a copy of a .mvd project that means the same but reads
differently, for the determinism test (tests/plan/determinism.sh).

    variants.py KIND SRC_DIR OUT_DIR

KIND is one of:
  rename      every file renamed and moved into a subdirectory, so the
              files are read in another order (the first one last)
  merge       all files in one
  split       one file per statement (each with its `database` line)
  reorder     the statements of each `database` section in reverse order,
              and the sections and files in reverse order
  whitespace  every run of blanks between tokens replaced (line breaks
              kept where a comment needs them, never added or removed
              around doc comments' lines)
  comments    every plain comment's text changed, new comments added
  keywords    reserved words in upper case
  all         every transformation above, one after the other

The text is cut into tokens by a small lexer that knows what matters here:
strings, quoted names, comments (`--`, `---` doc comments, `/* */`) and
`;`. Doc comments stay attached to what they document: they travel with
their statement, and the line breaks around them are never changed in
number."""
import os
import sys

RESERVED = {"and", "as", "between", "case", "distinct", "else", "end", "false", "from", "group", "having",
            "ilike", "in", "is", "join", "like", "limit", "not", "null", "on", "or", "order", "prewhere",
            "select", "then", "true", "union", "using", "when", "where", "with"}


def tokens(text):
    """(kind, text) pairs: ws, line (-- comment), doc (--- comment),
    block, string, name (quoted), word, semi, other. Concatenated, they
    give the text back."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            out.append(("ws", text[i:j]))
        elif text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(("doc" if text.startswith("---", i) else "line", text[i:j]))
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(("block", text[i:j]))
        elif c in "'`\"":
            j = i + 1
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(("string" if c == "'" else "name", text[i:j + 1]))
            j += 1
        elif c.isalnum() or c == "_" or ord(c) >= 0x80:
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_" or ord(text[j]) >= 0x80):
                j += 1
            out.append(("word", text[i:j]))
        elif c == ";":
            j = i + 1
            out.append(("semi", c))
        else:
            j = i + 1
            out.append(("other", c))
        i = j
    return out


def statements(text):
    """The statements of a file, each a token list that starts right after
    the previous `;` (so its leading comments travel with it) and ends
    with its `;`; the text after the last `;` is dropped (blanks and
    comments only)."""
    out, cur = [], []
    for t in tokens(text):
        cur.append(t)
        if t[0] == "semi":
            out.append(cur)
            cur = []
    return out


def code(stmt):
    return [t for t in stmt if t[0] not in ("ws", "line", "doc", "block")]


def head(stmt):
    words = [t[1].lower() for t in code(stmt) if t[0] == "word"]
    return words[0] if words else ""


def text_of(stmt):
    return "".join(t[1] for t in stmt).strip("\n") + "\n"


def sections(stmts):
    """Splits a file's statements at `database` statements: a list of
    (database statement or None, [statements])."""
    out = [(None, [])]
    for s in stmts:
        if head(s) == "database":
            out.append((s, []))
        else:
            out[-1][1].append(s)
    return [x for x in out if x[0] or x[1]]


def read_project(src):
    files = {}
    for root, dirs, names in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in sorted(names):
            if n.endswith(".mvd") and not n.startswith("."):
                p = os.path.join(root, n)
                files[os.path.relpath(p, src)] = open(p, encoding="utf-8").read()
    return files


def rename(files):
    """The first file (in sorted order) becomes the last; the others keep
    their order, so that a reversal elsewhere is not undone."""
    names = sorted(files)
    order = names[1:] + names[:1]
    return {os.path.join("moved", "f%02d_%s" % (i, os.path.basename(p))): files[p] for i, p in enumerate(order)}


def merge(files):
    return {"all.mvd": "\n".join(files[p] for p in sorted(files))}


def split(files):
    out, k = {}, 0
    for p in sorted(files):
        for db, body in sections(statements(files[p])):
            prefix = text_of(db) if db else ""
            if db:
                k += 1
                out["s%03d.mvd" % k] = prefix
            for s in body:
                k += 1
                out["s%03d.mvd" % k] = (prefix if head(s) != "option" else "") + text_of(s)
    return out


def reorder(files):
    out = {}
    for p, t in files.items():
        parts = []
        for db, body in reversed(sections(statements(t))):
            parts += ([text_of(db)] if db else []) + [text_of(s) for s in reversed(body)]
        out[p] = "\n".join(parts)
    return out


def new_blank(old, k):
    """Another run of blanks with the same meaning: as many line breaks
    when the old one had some (1 stays 1: doc comments attach through
    exactly one), and any mix of spaces, tabs or a line break otherwise."""
    breaks = old.count("\n")
    if breaks == 0:
        return [" ", "  ", "\t", "\n      "][k % 4]
    if breaks == 1:
        return ["\n", "\n\t", "\n        "][k % 3]
    return "\n" * (2 + k % 2) + " " * (k % 5)


def whitespace(files):
    out = {}
    for p, t in files.items():
        toks, k, res = tokens(t), 0, []
        for i, (kind, s) in enumerate(toks):
            if kind == "ws":
                k += 1
                res.append(new_blank(s, k))
            else:
                res.append(s)
        out[p] = "".join(res) + "\n"
    return out


def comments(files):
    out = {}
    for p, t in files.items():
        res = []
        for s in statements(t):
            res.append("-- a comment the determinism test added\n\n")
            first = True
            for kind, x in s:
                if kind == "line":
                    res.append("-- changed: " + x[2:].strip()[::-1])
                elif kind == "block":
                    res.append("/* changed */")
                else:
                    res.append(x)
                if first and kind == "word":
                    res.append(" /* after the first word */ ")
                    first = False
            res.append("\n")
        out[p] = "".join(res)
    return out


def keywords(files):
    out = {}
    for p, t in files.items():
        out[p] = "".join(x.upper() if kind == "word" and x.lower() in RESERVED else x for kind, x in tokens(t))
    return out


KINDS = {"rename": rename, "merge": merge, "split": split, "reorder": reorder, "whitespace": whitespace,
         "comments": comments, "keywords": keywords}


def main():
    if len(sys.argv) != 4 or (sys.argv[1] not in KINDS and sys.argv[1] != "all"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, src, dst = sys.argv[1:]
    files = read_project(src)
    order = ["reorder", "comments", "keywords", "whitespace", "split", "rename"] if kind == "all" else [kind]
    for k in order:
        files = KINDS[k](files)
    for p, t in files.items():
        path = os.path.join(dst, p)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
