#!/usr/bin/env python3
"""The DDL a user would write by hand for a project's .mvd files, for the
pipelines mvdc rejects (and so builds no plan for): one CREATE per
database, table, view and materialized view, in file order (a pipeline
declares what it reads first), with comments and trailing commas removed
and every object name qualified with its database. SELECT bodies are
passed on as written: the runner makes the pipeline's database the current
one.

    mvd2sql.py FILE_OR_DIR...     prints the statements, each followed by a
                                  line `;;` (the separator chdb_query reads)

The first line is `-- clickhouse: VERSION` (option clickhouse, '24.8' when
absent) and the second `-- database: NAME` (the first database declared).
Only what the pipelines use is translated: option, database, table,
view, materialized view (TO style), function with a body. Anything else
stops the script with an error rather than being guessed at."""
import os
import re
import sys


def tokens(text):
    """(kind, text) pairs: 'ws', 'comment', 'str', 'qid', 'word', 'punct'."""
    i, n = 0, len(text)
    out = []
    while i < n:
        c = text[i]
        if c.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            out.append(("ws", text[i:j]))
            i = j
        elif text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(("comment", text[i:j]))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(("comment", text[i:j]))
            i = j
        elif c in "'`\"":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(("str" if c == "'" else "qid", text[i:j + 1]))
            i = j + 1
        elif c.isalnum() or c == "_" or ord(c) >= 0x80:
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_" or ord(text[j]) >= 0x80):
                j += 1
            out.append(("word", text[i:j]))
            i = j
        else:
            out.append(("punct", c))
            i += 1
    return out


def statements(text):
    """Statements as token lists, comments dropped, split at top-level `;`."""
    stmt = []
    for kind, t in tokens(text):
        if kind == "comment":
            stmt.append(("ws", " "))
        elif kind == "punct" and t == ";":
            if any(k != "ws" for k, _ in stmt):
                yield stmt
            stmt = []
        else:
            stmt.append((kind, t))
    if any(k != "ws" for k, _ in stmt):
        raise SystemExit("mvd2sql: statement without ';' at the end of a file")


def words(stmt):
    """The non-blank tokens, with their index in stmt."""
    return [(i, t) for i, (k, t) in enumerate(stmt) if k != "ws"]


def join(stmt):
    return re.sub(r"\s+", " ", "".join(t for _, t in stmt)).strip()


def drop_trailing_commas(stmt):
    """`a UInt8, )` -> `a UInt8 )`: older servers refuse the comma."""
    sig = words(stmt)
    drop = {i for (i, t), (_, nxt) in zip(sig, sig[1:]) if t == "," and nxt == ")"}
    return [tok for i, tok in enumerate(stmt) if i not in drop]


def qualify(db, name):
    return name if "." in name else f"{db}.{name}"


class Translator:
    def __init__(self):
        self.version = "24.8"
        self.first_db = None
        self.db = None
        self.out = []

    def statement(self, stmt):
        sig = words(stmt)
        head = [t.lower() for _, t in sig[:3]]
        if head[0] == "option":
            if sig[1][1].lower() == "clickhouse":
                self.version = sig[3][1].strip("'")
        elif head[0] == "database":
            self.db = sig[1][1]
            self.first_db = self.first_db or self.db
            self.out.append(f"CREATE DATABASE IF NOT EXISTS {self.db}")
        elif head[0] == "table":
            self.table(stmt, sig)
        elif head[:2] == ["materialized", "view"]:
            self.view(stmt, sig[2:], materialized=True)
        elif head[0] == "view":
            self.view(stmt, sig[1:], materialized=False)
        elif head[0] == "function":
            self.function(stmt, sig)
        else:
            raise SystemExit(f"mvd2sql: cannot translate: {join(stmt)[:60]}")

    def object_name(self, sig, at):
        """A possibly qualified name starting at sig[at]: (text, next index)."""
        name = sig[at][1]
        if at + 2 < len(sig) and sig[at + 1][1] == ".":
            return name + "." + sig[at + 2][1], at + 3
        return name, at + 1

    def table(self, stmt, sig):
        name, at = self.object_name(sig, 1)
        body = drop_trailing_commas(stmt[sig[at][0]:])
        self.out.append(f"CREATE TABLE {qualify(self.db, name)} {join(body)}")

    def view(self, stmt, sig, materialized):
        name, at = self.object_name(sig, 0)
        target = None
        while sig[at][1].lower() != "as":
            if sig[at][1].lower() == "pushes_to":
                target, at = self.object_name(sig, at + 1)
            else:
                at += 1
        query = join(stmt[sig[at + 1][0]:])
        if materialized:
            self.out.append(f"CREATE MATERIALIZED VIEW {qualify(self.db, name)} "
                            f"TO {qualify(self.db, target)} AS {query}")
        else:
            self.out.append(f"CREATE VIEW {qualify(self.db, name)} AS {query}")

    def function(self, stmt, sig):
        text = join(stmt)
        m = re.match(r"function\s+(\w+)\s*\((.*?)\)\s*(?:->\s*[^=]+)?=\s*(.*)$", text, re.I | re.S)
        if not m:
            raise SystemExit(f"mvd2sql: cannot translate a function without a body: {text[:60]}")
        params = ", ".join(p.split()[0] for p in m.group(2).split(",") if p.strip())
        self.out.append(f"CREATE FUNCTION {m.group(1)} AS ({params}) -> {m.group(3)}")


def mvd_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                files += [os.path.join(root, n) for n in names if n.endswith(".mvd")]
        else:
            files.append(p)
    return sorted(set(files))


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    t = Translator()
    for path in mvd_files(sys.argv[1:]):
        t.db = None
        with open(path, encoding="utf-8") as f:
            for stmt in statements(f.read()):
                t.statement(stmt)
    print(f"-- clickhouse: {t.version}")
    print(f"-- database: {t.first_db}")
    for s in t.out:
        print(s)
        print(";;")


if __name__ == "__main__":
    main()
