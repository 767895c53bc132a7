#!/usr/bin/env python3
"""mkplan: writes and checks mvd plans (docs/plan-format.md) for mvrun's tests,
independently of mvdc and of mvrun's C reader: two readings of the format
document that must agree.

    mkplan.py write SPEC.json OUT.sql    a plan from a JSON description
    mkplan.py check PLAN.sql...          exit 0 when every plan is valid, 2 with the reasons

As a module: Plan(...).step(...); plan.write(path). Hashes may be given as
symbols ("v1", "mv-a"): anything that is not absent, present or 64 hex
digits becomes the SHA-256 of its text, so tests read as versions.
"""
import hashlib
import json
import re
import sys

HEX64 = re.compile(r"[0-9a-f]{64}\Z")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
KINDS = ("database", "table", "view", "materialized-view", "dictionary", "function")
ACTIONS = ("create", "drop", "alter", "replace", "modify-query", "rename", "truncate", "backfill", "shadow", "swap")


def state(value):
    """A state as the plan writes it: absent, present, or a 64-hex hash."""
    if value in ("absent", "present") or HEX64.match(value):
        return value
    return hashlib.sha256(value.encode()).hexdigest()


def states(values):
    return ",".join(state(v) for v in values.split(","))


def quote_part(part):
    if IDENT.match(part):
        return part
    return "`" + part.replace("\\", "\\\\").replace("`", "\\`") + "`"


def qname(name):
    """A name given as "db.t" (plain parts) or as a tuple of raw parts."""
    if isinstance(name, (list, tuple)):
        return ".".join(quote_part(p) for p in name)
    return name


class Plan:
    def __init__(self, clickhouse="18.16", registry="_mvd", cluster=None):
        self.options = [("clickhouse", clickhouse), ("registry", quote_part(registry))]
        if cluster:
            self.options.append(("cluster", quote_part(cluster)))
        self.manifest = []
        self.steps = []

    def object(self, kind, name, hash=None, target=None):
        fields = [kind, qname(name)]
        fields.append(state(hash) if kind != "database" else "present")
        if target:
            fields.append("target=" + qname(target))
        self.manifest.append("-- @object " + " ".join(fields))
        return self

    def dropped(self, kind, name):
        self.manifest.append("-- @dropped %s %s" % (kind, qname(name)))
        return self

    def removed(self, kind, name):
        self.manifest.append("-- @removed %s %s" % (kind, qname(name)))
        return self

    def shape(self, name, hash, engine, columns, kind="table"):
        self.manifest.append("-- @state %s %s %s engine=%s" % (kind, qname(name), state(hash), engine))
        for col, typ in columns:
            self.manifest.append("-- @column %s %s" % (quote_part(col), typ))
        return self

    def step(self, phase, action, kind, name, guard, sets, sql, src="test.mvd",
             destructive=False, window=0, from_=None, until=None):
        """from_: on the rename step of an MV, the @removed MV it renames
        (its guard names that MV's states). until: with window, on the drop
        of an @removed MV, the MV that replaces it (whose create ends the
        window)."""
        if not sql.endswith(";"):
            sql += ";"
        self.steps.append(dict(phase=phase, action=action, kind=kind, name=qname(name),
                               guard=guard, sets=sets, sql=sql, src=src,
                               destructive=destructive, window=window,
                               from_=qname(from_) if from_ else None,
                               until=qname(until) if until else None))
        return self

    def text(self):
        out = ["-- Written by tests/runtime/mkplan.py for mvrun's tests.", "--"]
        out += ["-- @option %s %s" % o for o in self.options]
        out += self.manifest
        out.append("--")
        body = "\n".join(out) + "\n"
        for n, s in enumerate(self.steps, 1):
            kind, _, rest = s["guard"].partition("=")
            data = s["sql"].encode()
            header = "-- @step %s %s %s %s %s=%s sets=%s src=%s bytes=%d sha256=%s" % (
                s["phase"], s["action"], s["kind"], s["name"], kind, states(rest),
                state(s["sets"]), s["src"], len(data), hashlib.sha256(data).hexdigest())
            if s["destructive"]:
                header += " destructive"
            if s["window"]:  # the next create of the same object
                header += " window"
            if s.get("until"):  # the window ends at the create of this MV instead
                header += " until=" + s["until"]
            if s.get("from_"):
                header += " from=" + s["from_"]
            body += header + "\n" + s["sql"] + "\n\n"
        digest = hashlib.sha256(body.encode()).hexdigest()
        return "-- mvd plan 2\n-- plan-sha256: %s\n" % digest + body

    def write(self, path):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(self.text())
        return path


def from_spec(spec):
    plan = Plan(spec.get("clickhouse", "18.16"), spec.get("registry", "_mvd"), spec.get("cluster"))
    for o in spec.get("objects", []):
        plan.object(o["kind"], o["name"], o.get("hash"), o.get("target"))
    for d in spec.get("dropped", []):
        plan.dropped(d["kind"], d["name"])
    for d in spec.get("removed", []):
        plan.removed(d["kind"], d["name"])
    for s in spec.get("states", []):
        plan.shape(s["name"], s["hash"], s["engine"], s["columns"], s.get("kind", "table"))
    for s in spec.get("steps", []):
        plan.step(s["phase"], s["action"], s["kind"], s["name"], s["guard"], s["sets"], s["sql"],
                  s.get("src", "test.mvd"), s.get("destructive", False), s.get("window", 0), s.get("from"),
                  s.get("until"))
    return plan


# ---- An independent check of docs/plan-format.md ------------------------------------------

class Invalid(Exception):
    pass


def split_fields(text):
    fields, cur, quoted, i = [], "", False, 0
    while i < len(text):
        c = text[i]
        if quoted:
            cur += c
            if c == "\\" and i + 1 < len(text):
                cur += text[i + 1]
                i += 1
            elif c == "`":
                quoted = False
        elif c == "`":
            quoted = True
            cur += c
        elif c == " ":
            if not cur:
                raise Invalid("empty field")
            fields.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if quoted:
        raise Invalid("unclosed backquote")
    if not cur:
        raise Invalid("empty field")
    fields.append(cur)
    return fields


PART = r"(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`\\]|\\[`\\])+`)"
NAME1 = re.compile(PART + r"\Z")
NAME2 = re.compile(PART + r"\." + PART + r"\Z")
STATE = re.compile(r"(?:absent|present|[0-9a-f]{64})\Z")


def check_name(kind, name):
    pattern = NAME1 if kind in ("database", "function") else NAME2
    if not pattern.match(name):
        raise Invalid("bad name %r" % name)


def name_key(name):
    """A qualified name's parts, unescaped: how readers compare names."""
    parts = re.findall(PART, name)
    return tuple(re.sub(r"\\(.)", r"\1", p[1:-1]) if p.startswith("`") else p for p in parts)


# RENAME TABLE <from> TO <name> and nothing else: a part bare, `quoted` or "quoted".
SQL_PART = r"(?:[A-Za-z_][A-Za-z0-9_$]*|`(?:[^`\\]|\\.)*`|\"(?:[^\"\\]|\\.)*\")"
SQL_NAME = r"\s*(%s)\s*\.\s*(%s)\s*" % (SQL_PART, SQL_PART)
RENAME_SQL = re.compile(r"\s*RENAME\s+TABLE\b%s\bTO\b%s;\Z" % (SQL_NAME, SQL_NAME), re.I)


def sql_part(p):
    return re.sub(r"\\(.)", r"\1", p[1:-1]) if p[0] in "`\"" else p


def check_mv_rename(stmt, name, from_):
    """The statement of an MV's rename step: RENAME TABLE from TO name."""
    m = RENAME_SQL.match(stmt.decode())
    if not m or (sql_part(m.group(1)), sql_part(m.group(2))) != name_key(from_) \
            or (sql_part(m.group(3)), sql_part(m.group(4))) != name_key(name):
        raise Invalid("the statement of an MV's rename step is not RENAME TABLE %s TO %s" % (from_, name))


def check(data):
    if not data.startswith(b"-- mvd plan 2\n"):
        raise Invalid("line 1")
    m = re.match(rb"-- mvd plan 2\n-- plan-sha256: ([0-9a-f]{64})\n", data)
    if not m:
        raise Invalid("line 2")
    body = data[m.end():]
    if hashlib.sha256(body).hexdigest().encode() != m.group(1):
        raise Invalid("plan-sha256 does not match")
    if not data.endswith(b"\n"):
        raise Invalid("no final newline")
    text = data.decode("utf-8")     # raises on invalid UTF-8
    if "\0" in text:
        raise Invalid("NUL byte")
    pos, steps, options, seen_setup = m.end(), 0, {}, False
    windows = []  # (kind, name) whose create ends a window that has not ended yet
    removed = set()  # (kind, name parts) of @removed lines
    declared = set()  # (kind, name parts) of @object lines
    untils = []  # (step's name, until=) of the steps, to check against the manifest once all is read
    renames = []  # from= of the steps, to check against @removed once all is read
    raw = data
    while pos < len(raw):
        nl = raw.index(b"\n", pos)
        line = raw[pos:nl].decode()
        pos = nl + 1
        if "\r" in line:
            raise Invalid("carriage return")
        if line == "" or (line.startswith("--") and not line.startswith("-- @")):
            continue
        if not line.startswith("-- @"):
            raise Invalid("stray line %r" % line)
        name, _, args = line[4:].partition(" ")
        if name == "column":
            if steps:
                raise Invalid("@column after a step")
            continue
        fields = split_fields(args) if args else []
        if name == "option":
            if steps or len(fields) != 2 or fields[0] not in ("clickhouse", "registry", "cluster"):
                raise Invalid("bad @option")
            options[fields[0]] = fields[1]
        elif name in ("object", "dropped", "removed", "state"):
            if steps or len(fields) < 2 or fields[0] not in KINDS:
                raise Invalid("bad @%s" % name)
            check_name(fields[0], fields[1])
            if name == "removed":
                removed.add((fields[0], name_key(fields[1])))
            if name == "object":
                declared.add((fields[0], name_key(fields[1])))
        elif name == "step":
            if len(fields) < 9:
                raise Invalid("short @step")
            steps += 1
            fields = [str(steps)] + fields  # numbered by position: no number in the header
            if fields[1] not in ("teardown", "setup") or (fields[1] == "teardown" and seen_setup):
                raise Invalid("phase")
            seen_setup |= fields[1] == "setup"
            if fields[2] not in ACTIONS or fields[3] not in KINDS:
                raise Invalid("action or kind")
            check_name(fields[3], fields[4])
            if fields[2] in ("shadow", "swap") and (fields[3] != "materialized-view" or "cluster" in options):
                raise Invalid("a shadow or swap step off a materialized view, or with a cluster")
            g = re.match(r"(when|unless)=(.*)\Z", fields[5])
            if not g or not all(STATE.match(s) for s in g.group(2).split(",")):
                raise Invalid("guard")
            if not fields[6].startswith("sets=") or not STATE.match(fields[6][5:]):
                raise Invalid("sets")
            if not re.match(r"src=[!-~]+\Z", fields[7]):
                raise Invalid("src")
            b = re.match(r"bytes=([1-9][0-9]*)\Z", fields[8])
            h = re.match(r"sha256=([0-9a-f]{64})\Z", fields[9])
            if not b or not h:
                raise Invalid("bytes or sha256")
            rest = fields[10:]
            if rest and rest[0] == "destructive":
                rest = rest[1:]
            if rest and rest[0] == "window":
                if fields[2] not in ("drop", "backfill"):
                    raise Invalid("window on a step that is neither a drop nor a backfill")
                rest = rest[1:]
                until = None
                if rest and rest[0].startswith("until="):
                    until = rest[0][len("until="):]
                    check_name("table", until)
                    rest = rest[1:]
                    if fields[2] != "drop" or fields[3] != "materialized-view" or \
                            name_key(until) == name_key(fields[4]):
                        raise Invalid("until= off the drop of an MV, or naming the step's own MV")
                    untils.append((fields[4], until))
                windows.append((fields[3], name_key(until or fields[4])))
            elif rest and rest[0].startswith("until="):
                raise Invalid("until= without window")
            sel = re.match(r"select=([1-9][0-9]*)\Z", rest[0]) if rest else None
            if sel:
                rest = rest[1:]
            if rest and rest[0].startswith("target="):
                if fields[2] not in ("truncate", "backfill") or fields[3] != "materialized-view":
                    raise Invalid("target= off a truncate or backfill step")
                check_name("table", rest[0][len("target="):])
                rest = rest[1:]
            elif fields[2] in ("truncate", "backfill"):
                raise Invalid("a truncate or backfill step without target=")
            cutoff = bool(rest) and rest[0] == "cutoff"
            if cutoff:
                if fields[2] not in ("create", "backfill") or fields[3] != "materialized-view":
                    raise Invalid("cutoff off an MV's create or backfill step")
                rest = rest[1:]
            if rest and rest[0].startswith("chunks="):
                if fields[2] != "backfill" or fields[3] != "materialized-view":
                    raise Invalid("chunks= off the backfill step of an MV")
                check_name("table", rest[0][len("chunks="):])
                rest = rest[1:]
            from_ = None
            if rest and rest[0].startswith("from="):
                from_ = rest[0][len("from="):]
                check_name("table", from_)
                rest = rest[1:]
            mv_rename = fields[2] == "rename" and fields[3] == "materialized-view"
            if from_ and not mv_rename:
                raise Invalid("from= off the rename step of an MV")
            if mv_rename and (not from_ or "cluster" in options or name_key(from_) == name_key(fields[4])):
                raise Invalid("an MV's rename step without from=, naming itself, or with a cluster")
            if from_:
                renames.append(from_)
            while fields[2] == "create" and (fields[3], name_key(fields[4])) in windows:
                windows.remove((fields[3], name_key(fields[4])))
            if rest:
                raise Invalid("extra fields")
            n = int(b.group(1))
            stmt = raw[pos:pos + n]
            if len(stmt) != n or not stmt.endswith(b";") or raw[pos + n:pos + n + 2] != b"\n\n":
                raise Invalid("statement framing")
            if sel and int(sel.group(1)) >= n - 1:
                raise Invalid("select= outside the statement")
            if hashlib.sha256(stmt).hexdigest() != h.group(1):
                raise Invalid("statement sha256")
            if from_:
                check_mv_rename(stmt, fields[4], from_)
            pos += n + 2
        else:
            raise Invalid("unknown directive @%s" % name)
    if "clickhouse" not in options or "registry" not in options:
        raise Invalid("missing options")
    if windows:
        raise Invalid("window with no later create")
    for name, until in untils:
        if ("materialized-view", name_key(name)) not in removed:
            raise Invalid("until= on the drop of %s, which is not an @removed materialized view" % name)
        if ("materialized-view", name_key(until)) not in declared:
            raise Invalid("until=%s is not a materialized view the manifest declares" % until)
    for from_ in renames:
        if ("materialized-view", name_key(from_)) not in removed:
            raise Invalid("from=%s is not an @removed materialized view" % from_)


def main(argv):
    if len(argv) == 4 and argv[1] == "write":
        with open(argv[2]) as f:
            from_spec(json.load(f)).write(argv[3])
        return 0
    if len(argv) >= 3 and argv[1] == "check":
        status = 0
        for path in argv[2:]:
            with open(path, "rb") as f:
                data = f.read()
            try:
                check(data)
            except (Invalid, UnicodeDecodeError, ValueError) as e:
                print("%s: invalid: %s" % (path, e), file=sys.stderr)
                status = 2
        return status
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
