"""Random changes of one MV and its two tables, for a test that applies
each under inserts and checks that no row is lost or doubled
(mvrun_test.py, `random-mv-changes-under-inserts`).

A case is two releases of a project: a trigger `src` whose columns are
all computed from `id` (each a DEFAULT of it), a plain MergeTree target
`dst`, and an MV writing one row per source row, keyed by id; in half
the cases the MV also left-joins `dim` on `k` (`id % 7`, dim holding keys
0 to 4), whose columns are computed from `k` alike. Release 2
applies one to three changes drawn from CHANGES: a column of the trigger
widened, renamed, added or dropped, the WHERE clause or an output's
expression changed, a target column renamed, added or dropped (a
column of dim too, where there is one); in about one case in six the MV
also pushes to a new table `dst2` (the old `dst` stays as release 1
made it: a swap, or a drop and create); in one case in four the MV
groups by id into a SummingMergeTree (numbers passed through summed,
the rest any(), with n = count()). Because
every value is a function of the row's id, whatever the schema is while
mvrun runs, an insert names only `id`, and what either version of the
query gives for a row can be computed afterwards in a scratch database
(`expected`).

    case = make_case(seed)            make_case(seed, 3): a third release too
    case.source(1), case.source(2)    the .mvd text after the database line
    case.expected(db, scratch, v)     SQL statements, then the query giving
                                      (id, final target columns as text)
"""
import copy
import random

DIM_KEYS = 5  # dim's rows: keys 0 to 4 of the trigger's 0 to 6 (5 and 6 unmatched)
WIDER = {"UInt32": "UInt64", "Int32": "Int64", "Float32": "Float64", "String": "LowCardinality(String)"}
NUMERIC = ("UInt32", "Int32", "Float32", "UInt64", "Int64", "Float64")
SUM_OF = {"UInt32": "UInt64", "UInt64": "UInt64", "Int32": "Int64", "Int64": "Int64", "Float32": "Float64",
          "Float64": "Float64"}


def value_of(kind, k, of="id"):
    """A column's DEFAULT: a value of type kind computed from `of` (id, or
    dim's k)."""
    return {
        "UInt32": "toUInt32(%s * %d %% 1000)" % (of, k),
        "Int32": "toInt32(%s * %d %% 1000) - 500" % (of, k),
        "Float32": "toFloat32(%s * %d %% 100) / 4" % (of, k),
        "String": "concat('s', toString(%s * %d %% 13))" % (of, k),
    }[kind]


class Column:
    """A column of src (table `s`) or of dim (`d`)."""
    def __init__(self, cid, name, type_, default, table="s"):
        self.cid, self.name, self.type, self.default, self.table = cid, name, type_, default, table


class Output:
    """An output of the query: `kind` over columns `args` (their cids),
    written to the target column `tid`."""
    def __init__(self, kind, args, tid):
        self.kind, self.args, self.tid = kind, args, tid


class Model:
    """One release: the trigger's columns, the target's (tid -> [name,
    type]), the query's outputs and WHERE (None, or (kind, cid))."""
    def __init__(self):
        self.columns, self.target, self.outputs, self.where, self.join = [], {}, [], None, False
        self.renamed, self.target_renamed = [], []  # (old, new) clauses of this release
        self.dropped, self.target_dropped = [], []  # `drop column` clauses of this release
        self.dim_renamed, self.dim_dropped = [], []
        self.new_target = False  # the MV pushes to a new table, dst2; dst stays as release 1 made it
        self.agg = False  # the MV groups by id into a SummingMergeTree: numbers summed, the rest any()

    def ref(self, c):
        return "%s.%s" % (c.table, c.name) if self.join else c.name

    def of(self, table):
        return [c for c in self.columns if c.table == table]

    def col(self, cid):
        return next(c for c in self.columns if c.cid == cid)

    def expr(self, o, grouped=None):
        """The output's expression; grouped (the MV's own, by default
        where it groups): wrapped in its aggregate, sum() over a number
        passed through, any() over the rest."""
        cs, ref = [self.col(a) for a in o.args], self.ref
        if (self.agg if grouped is None else grouped):
            return "%s(%s)" % ("sum" if self.summed(o) else "any", self.expr(o, False))
        return {
            "pass": lambda: ref(cs[0]),
            "str": lambda: "toString(%s)" % ref(cs[0]),
            "type": lambda: "toTypeName(%s)" % ref(cs[0]),
            "bang": lambda: "concat(toString(%s), '!')" % ref(cs[0]),
            "cat": lambda: "concat(toString(%s), '/', toString(%s))" % (ref(cs[0]), ref(cs[1])),
        }[o.kind]()

    def summed(self, o):
        return o.kind == "pass" and self.col(o.args[0]).type in NUMERIC

    def out_type(self, o):
        """The type the output has: its column's, a String, or, summed,
        what sum() gives of the column's type."""
        if self.agg and self.summed(o):
            return SUM_OF[self.col(o.args[0]).type]
        return self.col(o.args[0]).type if o.kind == "pass" else "String"

    def where_sql(self):
        if not self.where:
            return ""
        kind, cid = self.where
        if kind == "id":
            return " where %s %% %d != 0" % ("s.id" if self.join else "id", cid)
        c, ref = self.col(cid), self.ref
        return " where %s" % ("%s > 2" % ref(c) if c.type.replace("LowCardinality(String)", "String") in NUMERIC
                              else "%s != 's3'" % ref(c))


def from_sql(m, src="src", dim="dim"):
    return "%s AS s LEFT JOIN %s AS d ON s.k = d.k" % (src, dim) if m.join else src


def target_sql(name, target, clauses="", agg=False):
    tcols = ",\n".join("    %s %s" % (name_, t) for _, (name_, t) in sorted(target.items()))
    # Grouped: n, the rows' count, is never 0, so that no row has every
    # summed column 0 (a SummingMergeTree deletes such a row at a merge).
    return "table %s (\n    id UInt64,\n%s%s\n) engine = %sMergeTree order by id%s;\n\n" % (
        name, tcols, ",\n    n UInt64" if agg else "", "Summing" if agg else "", clauses)


def source(m, first):
    """The .mvd text of release m (first: release 1, whose target a new
    target leaves as it was)."""
    cols = ",\n".join("    %s %s default %s" % (c.name, c.type, c.default) for c in m.of("s"))
    if m.join:
        cols = "    k UInt32 default toUInt32(id %% 7),\n%s" % cols
    ren = "".join("\nrename column %s to %s" % r for r in m.renamed) + \
        "".join("\ndrop column %s" % d for d in m.dropped)
    dim = ""
    if m.join:
        dim = "table dim (\n    k UInt32%s\n) engine = MergeTree order by k%s;\n\n" % (
            "".join(",\n    %s %s default %s" % (c.name, c.type, c.default) for c in m.of("d")),
            "".join("\nrename column %s to %s" % r for r in m.dim_renamed) +
            "".join("\ndrop column %s" % d for d in m.dim_dropped))
    tren = "".join("\nrename column %s to %s" % r for r in m.target_renamed) + \
        "".join("\ndrop column %s" % d for d in m.target_dropped)
    targets = target_sql("dst", first.target, agg=m.agg) + target_sql("dst2", m.target, agg=m.agg) \
        if m.new_target else target_sql("dst", m.target, tren, m.agg)
    items = ",\n    ".join("%s as %s" % (m.expr(o), m.target[o.tid][0]) for o in m.outputs) + \
        (",\n    count() as n" if m.agg else "")
    return ("table src (\n    id UInt64,\n%s\n) engine = MergeTree order by id%s;\n\n%s%s"
            "materialized view m pulls_from src%s pushes_to %s\nas select %s as id,\n    %s\nfrom %s%s;\n"
            % (cols, ren, dim, targets, ", dim" if m.join else "", "dst2" if m.new_target else "dst",
               "s.id" if m.join else "id", items, from_sql(m),
               m.where_sql() + (" group by %s" % ("s.id" if m.join else "id") if m.agg else "")))


class Case:
    def __init__(self, seed, models, changes):
        self.seed, self.models, self.changes = seed, tuple(models), changes

    def source(self, v):
        return source(self.models[v - 1], self.models[0])

    def target_of(self, v):
        """The table version v's query writes into, and the columns it
        ends with: dst, or with a new target in release 2, release 1's dst
        for release 1 and dst2 for release 2."""
        if self.models[1].new_target:
            return ("dst", self.models[0]) if v == 1 else ("dst2", self.models[1])
        return "dst", self.models[-1]

    def expected(self, scratch, v):
        """In database `scratch`, which the caller made and holds the ids
        in table `ids`: the statements that make version v's trigger
        there, and the query giving, for each id that version's query
        delivers, the final target's columns as text (in tid order): its
        output cast to the column's type then and to the final one, or the
        final type's default where it did not write that column (the
        final target: target_of)."""
        m, final = self.models[v - 1], self.target_of(v)[1]
        cols = "".join(", %s %s DEFAULT %s" % (c.name, c.type, c.default) for c in m.of("s"))
        k = ", k UInt32 DEFAULT toUInt32(id % 7)" if m.join else ""
        make = ["CREATE TABLE %s.src_v%d (id UInt64%s%s) ENGINE = MergeTree ORDER BY id" % (scratch, v, k, cols),
                "INSERT INTO %s.src_v%d (id) SELECT id FROM %s.ids" % (scratch, v, scratch)]
        if m.join:
            make += ["CREATE TABLE %s.dim_v%d (k UInt32%s) ENGINE = MergeTree ORDER BY k" % (
                         scratch, v, "".join(", %s %s DEFAULT %s" % (c.name, c.type, c.default) for c in m.of("d"))),
                     "INSERT INTO %s.dim_v%d (k) SELECT number FROM numbers(%d)" % (scratch, v, DIM_KEYS)]
        by_tid = {o.tid: o for o in m.outputs}
        items = []
        for tid, (_, t) in sorted(final.target.items()):
            o = by_tid.get(tid)
            items.append("toString(CAST(CAST(%s AS %s) AS %s))" % (m.expr(o, False), m.out_type(o), t) if o else
                         "toString(defaultValueOfTypeName('%s'))" % t)
        if m.agg:
            items.append("'1'")  # n: one row a group
        return make, "SELECT %s, %s FROM %s%s ORDER BY 1" % (
            "s.id" if m.join else "id", ", ".join(items),
            from_sql(m, "%s.src_v%d" % (scratch, v), "%s.dim_v%d" % (scratch, v)), m.where_sql())

    def final_columns(self, v=None):
        m = self.target_of(v or len(self.models))[1]
        return [name for _, (name, _) in sorted(m.target.items())] + (["n"] if m.agg else [])


# ---- Changes: each takes (rng, model, state) and changes the model, or returns False ----

def widen(rng, m, st):
    cs = [c for c in m.columns if c.type in WIDER]
    if not cs:
        return False
    c = rng.choice(cs)
    c.type = WIDER[c.type]
    for o in m.outputs:  # a column passed through: its target column widened with it
        if o.kind == "pass" and o.args[0] == c.cid:
            m.target[o.tid][1] = m.out_type(o)
    return "widen %s" % c.name


def drop_target(m, tid):
    m.target_dropped.append(m.target[tid][0])
    del m.target[tid]


def rename(rng, m, st):
    cs = [c for c in m.columns if not c.name.endswith("r")]
    if not cs:
        return False
    c = rng.choice(cs)
    (m.renamed if c.table == "s" else m.dim_renamed).append((c.name, c.name + "r"))
    c.name += "r"
    return "rename %s" % c.name


def add_column(rng, m, st):
    st["next"] += 1
    kind = rng.choice(("UInt32", "Int32", "Float32", "String"))
    table = rng.choice("sd") if m.join else "s"
    c = Column(st["next"], "c%d" % st["next"], kind, value_of(kind, st["next"] + 2, "id" if table == "s" else "k"),
               table)
    m.columns.insert(rng.randrange(len(m.columns) + 1), c)
    st["next"] += 1
    m.target[st["next"]] = ["o%d" % st["next"], "String"]
    m.outputs.append(Output(rng.choice(("str", "type")), [c.cid], st["next"]))
    return "add %s, read into new o%d" % (c.name, st["next"])


def drop_column(rng, m, st):
    cs = [c for c in m.columns if not c.name.endswith("r") and len(m.of(c.table)) > 1]  # not renamed now
    if len(m.columns) < 3 or not cs:
        return False
    c = rng.choice(cs)
    gone = [o for o in m.outputs if c.cid in o.args]
    if len(gone) == len(m.outputs):
        return False
    m.columns.remove(c)
    (m.dropped if c.table == "s" else m.dim_dropped).append(c.name)
    for o in gone:
        m.outputs.remove(o)
        if rng.random() < 0.5 and not m.target[o.tid][0].endswith("r"):
            drop_target(m, o.tid)
    if m.where and m.where[0] == "col" and m.where[1] == c.cid:
        m.where = None
    return "drop %s" % c.name


def change_where(rng, m, st):
    m.where = rng.choice([None, ("id", rng.choice((2, 3, 5))), ("col", rng.choice(m.columns).cid)])
    return "where %s" % (m.where,)


def change_expr(rng, m, st):
    os_ = [o for o in m.outputs if o.kind in ("str", "bang") and m.target[o.tid][1] == "String"]
    if not os_:
        return False
    o = rng.choice(os_)
    o.kind = "bang" if o.kind == "str" else "cat"
    if o.kind == "cat":
        o.args = [o.args[0], rng.choice(m.columns).cid]
    return "expr of %s: %s" % (m.target[o.tid][0], o.kind)


def rename_target(rng, m, st):
    tids = [t for t in m.target if not m.target[t][0].endswith("r")]
    if not tids:
        return False
    t = rng.choice(tids)
    m.target_renamed.append((m.target[t][0], m.target[t][0] + "r"))
    m.target[t][0] += "r"
    return "rename target %s" % m.target[t][0]


def add_output(rng, m, st):
    st["next"] += 1
    m.target[st["next"]] = ["o%d" % st["next"], "String"]
    m.outputs.append(Output("str", [rng.choice(m.columns).cid], st["next"]))
    return "new output o%d" % st["next"]


def drop_output(rng, m, st):
    if len(m.outputs) < 2:
        return False
    o = rng.choice(m.outputs)
    m.outputs.remove(o)
    if rng.random() < 0.5 and not m.target[o.tid][0].endswith("r"):
        drop_target(m, o.tid)
        return "output %s dropped with its column" % o.tid
    return "output %s no longer written" % o.tid


CHANGES = [widen, rename, add_column, drop_column, change_where, change_expr, rename_target, add_output, drop_output]


def changed(rng, m, st, n):
    """Up to n changes drawn from CHANGES made to model m; what each did."""
    said = [said for said in (rng.choice(CHANGES)(rng, m, st) for _ in range(rng.randint(1, n))) if said]
    return said or [change_where(rng, m, st)]


def make_case(seed, releases=2):
    """Case `seed`: two releases; with releases=3, a third one drawn after
    them (its own 1 or 2 changes; None where the second moves the MV to a
    new target)."""
    case = make_two(seed)
    if releases == 2 or case.models[1].new_target:
        return case if releases == 2 else None
    v3 = copy.deepcopy(case.models[1])
    v3.renamed, v3.target_renamed, v3.dropped, v3.target_dropped, v3.dim_renamed, v3.dim_dropped = \
        [], [], [], [], [], []  # its own clauses only: the earlier ones are done
    st = {"next": 100}
    more = changed(random.Random("third %d" % seed), v3, st, 2)
    return Case(seed, case.models + (v3,), case.changes + ["then"] + more)


def make_two(seed):
    rng = random.Random(seed)
    st = {"next": 0}
    v1 = Model()
    v1.join = rng.random() < 0.5
    # Grouped into a SummingMergeTree in about one case in four, drawn
    # apart, so that the other cases stay what their seeds gave before.
    v1.agg = random.Random("grouped %d" % seed).random() < 1 / 4
    for i in range(rng.randint(2, 4)):
        st["next"] += 1
        kind = rng.choice(("UInt32", "Int32", "Float32", "String"))
        table = "d" if v1.join and i % 2 else "s"
        v1.columns.append(Column(st["next"], "c%d" % st["next"], kind,
                                 value_of(kind, st["next"] + 2, "id" if table == "s" else "k"), table))
    for c in v1.columns:
        st["next"] += 1
        kind = rng.choice(("pass", "str", "type"))
        v1.outputs.append(Output(kind, [c.cid], st["next"]))
        v1.target[st["next"]] = ["o%d" % st["next"], v1.out_type(v1.outputs[-1])]
    v1.where = rng.choice([None, ("id", 3), ("col", v1.columns[0].cid)])
    v2 = copy.deepcopy(v1)
    changes = []
    for _ in range(rng.randint(1, 3)):
        said = rng.choice(CHANGES)(rng, v2, st)
        if said:
            changes.append(said)
    if not changes:
        changes.append(change_where(rng, v2, st))
    # A new target in about one case in six, drawn apart so that the
    # other cases stay what their seeds gave before it existed.
    if random.Random("new target %d" % seed).random() < 1 / 6:
        v2.new_target = True
        v2.target_renamed, v2.target_dropped = [], []  # dst2 is made as it is
        changes.append("new target dst2")
    return Case(seed, (v1, v2), changes)
