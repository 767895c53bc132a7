#!/usr/bin/env python3
"""The printer's differential test: the canonical printer must not change
what ClickHouse reads.

A seeded generator writes SELECTs that cover the grammar's rules, every
literal form and string escape, and every pair of operators (each as left
and as right operand of the other, with and without parentheses). Each is
printed by build/release/select_print (the plan's printer); chDB's
`EXPLAIN AST` of the original and of the printed text must be identical,
and printing the printed text again must give it back unchanged. A fixed
list of statements whose details EXPLAIN AST does not show (APPLY's
function, STRICT, ORDER BY ALL DESC, RESPECT NULLS) is also compared by
chDB's formatQuery text.

    differential.py [--seed N] [--count N] [--select-print BIN] [--chdb-query BIN]

Prints PASS/FAIL lines; a failure shows the first differing statements."""
import argparse
import os
import random
import subprocess
import sys
import tempfile

BINARY_OPS = ['+', '-', '*', '/', '%', 'DIV', 'MOD', '||', '=', '==', '!=', '<>', '<', '>', '<=', '>=',
              'AND', 'OR', 'LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE', 'IN', 'NOT IN', 'GLOBAL IN',
              'GLOBAL NOT IN', '<=>', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM']
# Operand forms that are not binary operators but bind like them.
OTHER_FORMS = ['BETWEEN', 'NOT BETWEEN', 'IS NULL', 'IS NOT NULL', 'NOT', 'NEG', 'TERNARY', 'LAMBDA']

STRINGS = [
    "''", "'a'", "'it''s'", "'it\\'s'", "'a\\\\b'", "'a\\.b'", "'a\\_b%'", "'100\\%'", "'\\e'",
    "'\\N'", "'\\x41\\x7a'", "'\\xZZ'", "'\\n\\t\\r\\0\\a\\b\\f\\v'", "'\\/\\=\\?'", "'\\\"\\`'",
    "'\\c\\d\\w+'", "'tab\there'", "'caf\u00e9'", "'\u2018q\u2019'", "\u2018unicode\u2019",
    "'x\\\\'", "'\\''", "'a''''b'", "$$it's$$", "$t$a\\b$t$", "x'4142'", "X'00ff'", "b'0100'", "B'0100000101000010'",
]
INTEGERS = ['0', '1', '42', '18446744073709551615', '340282366920938463463374607431768211455',
            '0x1F', '0xff', '0b101', '1_000_000', '007']
FLOATS = ['1.5', '0.1', '1e10', '1E-3', '1.', '2.5e+3', 'inf', 'nan']  # .5::T: ClickHouse refuses
COLUMNS = ['a', 'b', 'c', 't.a', 'u.b', 'x', '`weird name`', '`a``b`', '"dq"', 'date', 'key', 'value',
           'type', 'hour', 'first', 'last', 'left', 'right', 'index', 'year', '`from`', '`select`',
           '`1x`', '`\u00e9t\u00e9`', 'db.t.col', 'arr', 'm', 'tup', 'n.x']
TYPES = ['UInt8', 'Int8', 'Int64', 'String', 'Float64', 'Decimal(38, 30)', 'Decimal(10, 2)',
         'Nullable(String)', 'Array(UInt8)', 'Array(String)', 'Tuple(a UInt8, b String)',
         "DateTime('UTC')", "DateTime64(3, 'Europe/Paris')", "Enum8('a' = 1, 'b' = -2)",
         'LowCardinality(Nullable(String))', 'Map(String, UInt64)', 'UInt256', 'Date', 'Bool',
         'FixedString(3)', 'IPv4', 'UUID']
FUNCS = ['f', 'plus', 'lower', 'concat', 'toString', 'if', 'multiIf', 'coalesce', 'length', 'left',
         'position', 'replaceRegexpAll', 'arrayMap', 'tuple', 'array', 'map', 'toDate', 'sum', 'avg',
         'max', 'any', 'uniq', 'groupArray', '`@`', '`and`', 'substring', 'toStartOfHour']
UNITS = ['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'second', 'day']
# Keywords as names, JSON paths, element access, and the other forms that
# only some positions allow (%s: an expression).
NAMED_FORMS = ["like(%s, 'a%%')", 'and(%s, a)', 'or(%s, b)', 'not(%s)', 'in(%s, (1, 2))', 'ilike(%s, c)',
               "`Settings`['x'] = %s", 'f(start, end, %s)', '(from, to) -> from + %s', 'n.null + %s',
               'json.^a = %s', 'json.a.b.:Int64 + %s', 'json.arr[].x = %s', "f(%s).a", '(1, %s).-1',
               'tup.1.2 + %s', '(tup).a = %s', 'any(%s) RESPECT NULLS', 'any(%s) IGNORE NULLS',
               'first_value(%s) IGNORE NULLS OVER (ORDER BY a)', 'countIf(*, %s)', 'tuple(* EXCEPT (a), %s)',
               "tuple(COLUMNS('a'), %s)", 'INTERVAL %s * 2 SECOND', 'INTERVAL 2 days + %s', "DATE '2001-09-29' + %s",
               "TIMESTAMP '2001-09-29 00:00:00' < %s", "substring('1234' FROM %s FOR 2)", 'substring(s FROM %s)',
               'exists((SELECT %s))', 'CAST(%s AS c1 AS String)', 'interval + %s', 'columns + %s',
               'arrayFold(acc, x -> acc + x, arr, %s)', 'f(a, b AS c, (x, y) -> x, %s)', 'g(%s, (x -> x))',
               'test.* APPLY x -> x + %s']
# Star transformers and other details EXPLAIN AST does not show (APPLY's
# function, STRICT, REPLACE's names, ORDER BY ALL DESC, RESPECT NULLS): these
# are compared by formatQuery's text too.
FORMATTED = [
    'SELECT * EXCEPT STRICT (a) FROM t', "SELECT * EXCEPT ('re') FROM t", 'SELECT * APPLY(toString) FROM t',
    'SELECT t.* APPLY toString FROM t', 'SELECT * APPLY(x -> x + 1) FROM t', 'SELECT * APPLY(quantiles(0.5)) FROM t',
    'SELECT * REPLACE (a + 1 AS a) FROM t', 'SELECT * REPLACE STRICT (a + 1 AS a, 2 AS b) FROM t',
    "SELECT COLUMNS('a') APPLY(length) EXCEPT (ab) FROM t", 'SELECT db.t.COLUMNS(a, b) EXCEPT (a) FROM db.t',
    'SELECT * EXCEPT (a) APPLY(toString) REPLACE (1 AS b) FROM t', 'SELECT a FROM t ORDER BY ALL DESC',
    'SELECT a FROM t ORDER BY ALL DESC NULLS FIRST', 'SELECT a FROM t ORDER BY ALL NULLS LAST',
    'SELECT any(a) RESPECT NULLS, any(b) IGNORE NULLS, anyLast(c) FROM t',
    'SELECT first_value(a) RESPECT NULLS OVER (ORDER BY b) FROM t', 'SELECT a FROM t ORDER BY f(a) AS o DESC',
    'SELECT count() OVER (PARTITION BY intDiv(a, 3) AS p) FROM t', 'SELECT a FROM t LIMIT 1 BY a AS k',
    'SELECT /* a /* nested */ b */ 1', 'SELECT a <=> b, a IN (1, 2) FROM t',
    'SELECT CAST(a AS x AS UInt32), CAST((a AS y) AS String) FROM t',
]


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def pick(self, xs):
        return self.r.choice(xs)

    def literal(self):
        k = self.r.randrange(7)
        if k == 0:
            return self.pick(STRINGS)
        if k == 1:
            return self.pick(INTEGERS)
        if k == 2:
            return self.pick(FLOATS)
        if k == 3:
            return self.pick(['NULL', 'true', 'false', 'TRUE', 'null'])
        if k == 4:
            return '-' + self.pick(INTEGERS[:4] + FLOATS[:4])
        if k == 5:
            return '[' + ', '.join(self.literal() for _ in range(self.r.randrange(3))) + ']'
        return '(' + ', '.join(self.literal() for _ in range(2)) + ')'

    def atom(self, depth):
        k = self.r.randrange(25)
        if k < 5:
            return self.literal()
        if k < 10:
            return self.pick(COLUMNS)
        if depth <= 0:
            return self.pick(COLUMNS)
        d = depth - 1
        if k == 10:
            n = self.r.randrange(4)
            return '%s(%s)' % (self.pick(FUNCS), ', '.join(self.expr(d) for _ in range(n)))
        if k == 11:
            return self.pick(['count()', 'count(*)', 'count(DISTINCT %s)' % self.expr(d),
                              'quantiles(0.5, 0.9)(%s)' % self.expr(d), 'sum(%s) OVER w' % self.expr(d),
                              'sum(%s) OVER (PARTITION BY a ORDER BY b DESC ROWS BETWEEN UNBOUNDED '
                              'PRECEDING AND CURRENT ROW)' % self.expr(d),
                              'row_number() OVER (ORDER BY a RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING)',
                              'avg(x) OVER ()', 'groupArray(DISTINCT x)'])
        if k == 12:
            arms = ''.join(' WHEN %s THEN %s' % (self.expr(d), self.expr(d)) for _ in range(1 + self.r.randrange(2)))
            op = ' ' + self.expr(d) if self.r.random() < 0.3 else ''
            other = ' ELSE ' + self.expr(d) if self.r.random() < 0.5 else ''
            return 'CASE%s%s%s END' % (op, arms, other)
        if k == 13:
            return self.pick(['CAST(%s AS %s)' % (self.expr(d), self.pick(TYPES)),
                              "CAST(%s, '%s')" % (self.expr(d), self.pick(TYPES).replace("'", "\\'")),
                              '%s::%s' % (self.atom(d), self.pick(TYPES)),
                              '%s::%s' % (self.literal(), self.pick(TYPES))])
        if k == 14:
            return self.pick(['INTERVAL %s %s' % (self.pick(['1', '2.5', '-3', 'x', 'f(x)', '(a + 1)']), self.pick(UNITS)),
                              "INTERVAL '1 day'", "INTERVAL '2' HOUR",
                              'EXTRACT(%s FROM %s)' % (self.pick(UNITS), self.expr(d)),
                              "TRIM(%s 'x' FROM %s)" % (self.pick(['BOTH', 'LEADING', 'TRAILING']), self.expr(d)),
                              'date_add(%s, %s, d)' % (self.pick(UNITS), self.expr(d)),
                              'date_diff(%s, a, b)' % self.pick(UNITS)])
        if k == 15:
            return '[%s]' % ', '.join(self.expr(d) for _ in range(self.r.randrange(3)))
        if k == 16:
            n = self.r.choice([0, 1, 2, 3])
            inner = ', '.join(self.expr(d) for _ in range(n))
            return '(%s,)' % inner if n == 1 else '(%s)' % inner
        if k == 17:
            return '%s[%s]' % (self.pick(['arr', 'm', 'f(x)', '[1, 2]']), self.expr(d))
        if k == 18:
            return self.pick(['tup.1', 't.tup.2', '(1, 2).1', 'f(x).1'])
        if k == 19:
            return self.pick(['(SELECT 1)', '(SELECT max(a) FROM t)', 'EXISTS (SELECT 1 FROM t WHERE a = b)'])
        if k == 20:
            return '(%s AS %s)' % (self.expr(d), self.pick(['al', 'b2', '`x y`']))
        if k == 21:
            return 'arrayMap(%s -> %s, arr)' % (self.pick(['x', '(x, y)']), self.expr(d))
        if k == 22:
            return self.pick(NAMED_FORMS) % self.expr(d)
        return '(%s)' % self.expr(d)

    def expr(self, depth):
        if depth <= 0 or self.r.random() < 0.35:
            return self.atom(depth)
        d = depth - 1
        k = self.r.randrange(10)
        if k < 5:
            return '%s %s %s' % (self.expr(d), self.pick(BINARY_OPS), self.expr(d))
        if k == 5:
            return self.operand_form(self.pick(OTHER_FORMS), self.expr(d), self.expr(d), self.expr(d))
        if k == 6:
            return '%s %s (%s, %s)' % (self.expr(d), self.pick(['IN', 'NOT IN']), self.literal(), self.literal())
        return self.atom(depth)

    def operand_form(self, form, x, y, z):
        return {
            'BETWEEN': '%s BETWEEN %s AND %s' % (x, y, z),
            'NOT BETWEEN': '%s NOT BETWEEN %s AND %s' % (x, y, z),
            'IS NULL': '%s IS NULL' % x,
            'IS NOT NULL': '%s IS NOT NULL' % x,
            'NOT': 'NOT %s' % x,
            'NEG': ('- %s' if x.startswith('-') else '-%s') % x,
            'TERNARY': '%s ? %s : %s' % (x, y, z),
            'LAMBDA': 'arrayMap(e -> %s, arr)' % x,
        }[form]


def operator_pairs():
    """Every binary operator as left and right operand of every other,
    bare and in parentheses, and the other forms around them."""
    out = []
    for o1 in BINARY_OPS:
        for o2 in BINARY_OPS:
            out.append('SELECT a %s b %s c' % (o1, o2))
            out.append('SELECT a %s (b %s c)' % (o1, o2))
            out.append('SELECT (a %s b) %s c' % (o1, o2))
    g = Gen(random.Random(0))
    for form in OTHER_FORMS:
        for o in BINARY_OPS:
            inner = 'a %s b' % o
            out.append('SELECT ' + g.operand_form(form, inner, 'c', 'd'))
            out.append('SELECT ' + g.operand_form(form, '(%s)' % inner, '(%s)' % inner, '(%s)' % inner))
            out.append('SELECT %s %s c' % (g.operand_form(form, 'x', 'y', 'z'), o))
            out.append('SELECT c %s (%s)' % (o, g.operand_form(form, 'x', 'y', 'z')))
        for f2 in OTHER_FORMS:
            out.append('SELECT ' + g.operand_form(form, '(%s)' % g.operand_form(f2, 'x', 'y', 'z'), 'c', 'd'))
            out.append('SELECT ' + g.operand_form(form, 'c', '(%s)' % g.operand_form(f2, 'x', 'y', 'z'),
                                                  '(%s)' % g.operand_form(f2, 'p', 'q', 'r')))
    for s in STRINGS:
        out.append('SELECT %s, %s LIKE %s, match(s, %s)' % (s, 'x', s, s))
    for lit in INTEGERS + FLOATS + ['-1', '- 1', '-0.1', '[1, 2]', "['a', 'b\\'c']", "(1, 'x')", "'0.1'"]:
        for t in ['Int8', 'UInt256', 'Decimal(38, 30)', 'String', 'Array(UInt8)', 'Float64']:
            out.append('SELECT %s::%s' % (lit, t))
    out.append('SELECT -(128::Int8), -128::Int8, - 128::Int8, -(1), -1, - -1, 2-1::Int8, -x::Int8')
    out += set_operations()
    return out


SET_OPS = ['UNION ALL', 'UNION DISTINCT', 'UNION', 'INTERSECT', 'INTERSECT ALL', 'INTERSECT DISTINCT',
           'EXCEPT', 'EXCEPT ALL', 'EXCEPT DISTINCT']


def set_operations():
    """Every pair of set operators, bare and with either side in
    parentheses (INTERSECT binds tighter; parentheses must survive)."""
    out = []
    ops = [o for o in SET_OPS if o != 'UNION']  # a bare UNION beside others: refused by default
    for o1 in ops:
        for o2 in ops:
            out.append('SELECT 1 %s SELECT 2 %s SELECT 3' % (o1, o2))
            out.append('SELECT 1 %s (SELECT 2 %s SELECT 3)' % (o1, o2))
            out.append('(SELECT 1 %s SELECT 2) %s SELECT 3' % (o1, o2))
            out.append('SELECT * FROM (SELECT a FROM t %s ((SELECT b FROM u %s SELECT 3) UNION ALL SELECT 4))'
                       % (o1, o2))
    return out


def query(g, depth):
    r = g.r
    parts = []
    if r.random() < 0.2:
        parts.append('WITH %s%s AS w1, %s AS (SELECT 1 AS one) ' % (r.choice(['', '', 'RECURSIVE ']), g.expr(1),
                                                                    r.choice(['cte', 'cte', 'cte(c1)'])))
    parts.append('SELECT ')
    if r.random() < 0.15:
        parts.append(r.choice(['DISTINCT ', 'DISTINCT ON (a, b) ']))
    items = []
    for _ in range(1 + r.randrange(4)):
        e = g.expr(depth)
        k = r.randrange(5)
        items.append(e + (' AS al%d' % len(items) if k == 0 else ' al%d' % len(items) if k == 1 else ''))
    if r.random() < 0.1:
        items.append(r.choice(['*', 't.*', '* EXCEPT (a, b)', '* EXCEPT a', 't.* EXCEPT (a)', '* APPLY(toString)',
                               "COLUMNS('a')", '* REPLACE (a + 1 AS a)', 'COLUMNS(a, b) APPLY(length)']))
    parts.append(', '.join(items))
    if r.random() < 0.8:
        parts.append(' FROM ' + table(g))
        for _ in range(r.randrange(3)):
            parts.append(' ' + join(g))
    for kw, p in [('PREWHERE', 0.1), ('WHERE', 0.5)]:
        if r.random() < p:
            parts.append(' %s %s' % (kw, g.expr(depth)))
    if r.random() < 0.4:
        parts.append(' ' + group_by(g))
        if r.random() < 0.4:
            parts.append(' HAVING ' + g.expr(depth))
    elif r.random() < 0.05:
        parts.append(' WITH TOTALS')
    if r.random() < 0.1:
        parts.append(' WINDOW w AS (PARTITION BY a ORDER BY b)')
    if r.random() < 0.05:
        parts.append(' QUALIFY row_number() OVER (ORDER BY a) = 1')
    ordered = r.random() < 0.4
    if ordered:
        parts.append(' ' + order_by(g))
        if 'WITH FILL' in parts[-1] and r.random() < 0.5:
            parts.append(r.choice([' INTERPOLATE', ' INTERPOLATE ()', ' INTERPOLATE (a)',
                                   ' INTERPOLATE (a AS a + 1, b AS b || \'x\')']))
    if r.random() < 0.4:
        lim = limits(g)
        # ClickHouse refuses WITH TIES and FETCH without ORDER BY, and
        # DISTINCT ON beside LIMIT BY
        if (ordered or ('TIES' not in lim and 'FETCH' not in lim)) and not (' BY ' in lim and any('DISTINCT ON' in x for x in parts)):
            parts.append(' ' + lim)
    if r.random() < 0.1:
        parts.append(" SETTINGS max_threads = 1, join_use_nulls = 1, format_csv_delimiter = ';'")
    text = ''.join(parts)
    if r.random() < 0.15:
        text += ' %s SELECT %s' % (r.choice(SET_OPS), g.expr(1))
    elif r.random() < 0.05:
        text += ' %s (SELECT %s %s SELECT 2)' % (r.choice(SET_OPS), g.expr(1), r.choice(SET_OPS))
    return text


def table(g):
    r = g.r
    k = r.randrange(12)
    base = ['t', 'db.t', '`odd table`', 'numbers(10)', "url('http://x', CSV, 'a UInt8')",
            '(SELECT a, b FROM u)', '01234_t', 'db.1_t', '(EXPLAIN PLAN actions = 1 SELECT a FROM t)',
            'view(SELECT a, b FROM u UNION ALL SELECT 1, 2)', "remote('h', view(SELECT a FROM u), a)",
            "numbers(10, SETTINGS max_threads = 1)"][k]
    if k in (5, 8) and r.random() < 0.3:
        base = r.choice(['(EXPLAIN SELECT a FROM t)', '(EXPLAIN AST SELECT 1)', '(EXPLAIN SYNTAX SELECT 1)',
                         '(EXPLAIN QUERY TREE SELECT 1)', '(EXPLAIN PIPELINE graph = 1 SELECT 1)',
                         '(EXPLAIN ESTIMATE SELECT a FROM t)', "null('x UInt8')"])
    if r.random() < 0.4:
        base += r.choice([' AS x', ' x', ' AS `y z`', ' AS x(p, q)', ' x(p)'])
    if k < 3 and r.random() < 0.1:
        base += ' FINAL'
    if k < 3 and r.random() < 0.05:
        base += ' SAMPLE 1 / 10 OFFSET 1 / 2'
    return base


def join(g):
    r = g.r
    k = r.randrange(10)
    if k == 0:
        return 'JOIN %s ON a = b' % table(g)
    if k == 1:
        return r.choice(['ARRAY JOIN arr', 'LEFT ARRAY JOIN arr AS e, [1, 2] AS f'])
    if k == 2:
        return 'CROSS JOIN ' + table(g)
    kinds = ['', 'INNER ', 'LEFT ', 'RIGHT ', 'FULL ', 'LEFT OUTER ', 'FULL OUTER ', 'ANY LEFT ', 'ALL INNER ',
             'ALL FULL OUTER ', 'SEMI LEFT ', 'ANTI RIGHT ', 'ASOF LEFT ', 'GLOBAL ANY LEFT ', 'LEFT ANY ',
             'RIGHT ALL OUTER ' if False else 'RIGHT OUTER ']
    cond = r.choice([' USING a', ' USING (a, b)', ' USING a, b', ' ON a = b', ' ON x.a = t.a AND b < 1'])
    return '%sJOIN %s%s' % (r.choice(kinds), table(g), cond)


def group_by(g):
    r = g.r
    k = r.randrange(7)
    return [
        'GROUP BY a, b',
        'GROUP BY 1',
        'GROUP BY ALL',
        'GROUP BY a WITH ROLLUP',
        'GROUP BY ROLLUP(a, b) WITH TOTALS',
        'GROUP BY GROUPING SETS ((a, b), (a), (), (x % 3 AS k), c)',
        'GROUP BY %s WITH CUBE WITH TOTALS' % g.expr(1),
    ][k]


def order_by(g):
    r = g.r
    items = []
    for _ in range(1 + r.randrange(2)):
        items.append(g.expr(1) + r.choice(['', ' ASC', ' DESC', ' DESC NULLS FIRST', ' NULLS LAST', ' AS o1 DESC',
                                           " COLLATE 'en'", ' WITH FILL', ' WITH FILL FROM 1 TO 10 STEP 2',
                                           ' WITH FILL STEP 1 STALENESS 3']))
    return r.choice(['ORDER BY ' + ', '.join(items), 'ORDER BY ALL', 'ORDER BY ALL DESC',
                     'ORDER BY ALL DESC NULLS FIRST', 'ORDER BY %s AS o1 DESC' % g.expr(1)])


def limits(g):
    r = g.r
    return r.choice(['LIMIT 10', 'LIMIT 10 OFFSET 5', 'LIMIT 5, 10', 'LIMIT 3 WITH TIES', 'LIMIT 1 BY a, b',
                     'LIMIT 5, 10 WITH TIES', 'LIMIT 10 OFFSET 5 WITH TIES', 'LIMIT 1 BY a AS k, b',
                     'LIMIT 1 BY ALL', 'LIMIT 2 BY a LIMIT 10', 'OFFSET 5 ROWS',
                     'OFFSET 1 ROW FETCH FIRST 3 ROWS ONLY', 'OFFSET 0 ROWS FETCH NEXT 1 ROW WITH TIES'])


def run(cmd, text):
    p = subprocess.run(cmd, input=text.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.stdout.decode('utf-8', 'replace')


def print_all(select_print, stmts):
    out = run([select_print], ''.join(s + '\n;;\n' for s in stmts))
    res = out.split('\n;;\n')
    res = [x for x in res[:len(stmts)]]
    if len(res) != len(stmts):
        sys.exit('FAIL printer/differential: select_print gave %d results for %d statements' % (len(res), len(stmts)))
    return res


def explain_all(chdb, db, stmts):
    text = ''.join('EXPLAIN AST %s\n;;\nSELECT \'@@@\'\n;;\n' % s for s in stmts)
    out = run([chdb, db], text)
    res = out.split('@@@\n')
    return [x.strip() for x in res[:len(stmts)]]


def format_all(chdb, db, stmts):
    q = lambda s: "'%s'" % s.replace('\\', '\\\\').replace("'", "\\'")
    text = ''.join('SELECT formatQuerySingleLine(%s)\n;;\nSELECT \'@@@\'\n;;\n' % q(s) for s in stmts)
    return [x.strip() for x in run([chdb, db], text).split('@@@\n')[:len(stmts)]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=14)
    ap.add_argument('--count', type=int, default=1500)
    ap.add_argument('--select-print', default='build/release/select_print')
    ap.add_argument('--chdb-query', default='build/engines/chdb_query')
    args = ap.parse_args()

    g = Gen(random.Random(args.seed))
    stmts = operator_pairs()
    stmts += [query(g, 1 + g.r.randrange(3)) for _ in range(args.count)]

    printed = print_all(args.select_print, stmts)
    with tempfile.TemporaryDirectory() as db:
        ast_orig = explain_all(args.chdb_query, db, stmts)
        ok = [(s, p, a) for s, p, a in zip(stmts, printed, ast_orig)
              if not p.startswith('ERROR ') and not a.startswith('ERROR')]
        ast_printed = explain_all(args.chdb_query, db, [p for _, p, _ in ok])
        fixed = print_all(args.select_print, FORMATTED)
        text_orig = format_all(args.chdb_query, db, FORMATTED)
        text_printed = format_all(args.chdb_query, db, fixed)
    again = print_all(args.select_print, [p for _, p, _ in ok])

    ch_refused = sum(1 for a in ast_orig if a.startswith('ERROR'))
    only_mvdc = sum(1 for p, a in zip(printed, ast_orig) if a.startswith('ERROR') and not p.startswith('ERROR '))
    rejected = [(s, p) for s, p, a in zip(stmts, printed, ast_orig)
                if p.startswith('ERROR ') and not a.startswith('ERROR')]
    differ = [(s, p, a, b) for (s, p, a), b in zip(ok, ast_printed) if a != b]
    unstable = [(p, q) for (_, p, _), q in zip(ok, again) if p != q]

    def report(name, bad, show):
        if not bad:
            print('PASS %s' % name)
            return
        print('FAIL %s' % name)
        for item in bad[:8]:
            print(show(item))

    n = len(stmts)
    print('# printer: %d generated statements, %d refused by chDB (%d of them accepted by mvdc), %d compared'
          % (n, ch_refused, only_mvdc, len(ok)))
    report('printer/accepts-what-chdb-accepts (%d, %d rejected)' % (n - ch_refused, len(rejected)), rejected,
           lambda x: '    %s\n      -> %s' % (x[0], x[1]))
    report('printer/same-explain-ast (%d statements, %d differ)' % (len(ok), len(differ)), differ,
           lambda x: '    original: %s\n    printed:  %s\n    ast of original:\n%s\n    ast of printed:\n%s' % (
               x[0], x[1].replace('\n', ' '), indent(x[2]), indent(x[3])))
    reformatted = [(s, p, a, b) for s, p, a, b in zip(FORMATTED, fixed, text_orig, text_printed)
                   if a != b or a.startswith('ERROR')]
    report('printer/same-formatted-text (%d statements, %d differ)' % (len(FORMATTED), len(reformatted)),
           reformatted, lambda x: '    original: %s\n    printed:  %s\n    formatQuery: %s\n             vs: %s' % (
               x[0], x[1].replace('\n', ' '), x[2], x[3]))
    report('printer/idempotent (%d statements, %d unstable)' % (len(ok), len(unstable)), unstable,
           lambda x: '    first:  %s\n    second: %s' % (x[0].replace('\n', ' '), x[1].replace('\n', ' ')))


def indent(t):
    return '\n'.join('      ' + l for l in t.splitlines()[:60])


if __name__ == '__main__':
    main()
