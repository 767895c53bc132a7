#include "syntax/parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser.h"
#include "token_names.h"

/* error_major of a syntax error that a grammar action has reported. */
enum { REPORTED = -3 };

/* ---- Helpers for the grammar's actions ---- */

Decl *parse_decl(Parse *p, uint32_t first_off, Decl fields)
{
    Decl *d = arena_alloc(p->arena, sizeof(*d));
    *d = fields;
    d->file = p->file;
    d->span = (Span){first_off, 0};
    d->doc = parse_doc_before(p, first_off);
    return d;
}

void parse_add_decl(Parse *p, Decl *d, Span semicolon)
{
    d->span = span_cover(d->span, semicolon);
    *LIST_PUSH(p->arena, p->decls) = d;
}

Span parse_last_span(Parse *p)
{
    return span_of_token(p->last.off, p->last.len);
}

static bool only_space_between(const char *s, uint32_t from, uint32_t to, int max_newlines)
{
    int newlines = 0;
    for (uint32_t i = from; i < to; i++) {
        char c = s[i];
        if (c == '\n')
            newlines++;
        else if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return newlines <= max_newlines;
}

/* The run of `---` lines that ends on the line right above off: a blank
 * line or anything else in between detaches a comment. */
Span parse_doc_before(Parse *p, uint32_t off)
{
    int lo = 0, hi = p->docs.n - 1, k = -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (p->docs.v[mid].off < off) {
            k = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (k < 0)
        return (Span){0, 0};
    Span last = p->docs.v[k];
    if (!only_space_between(p->src, last.off + last.len, off, 1))
        return (Span){0, 0};
    uint32_t line = last.off;
    while (line > 0 && p->src[line - 1] != '\n')
        line--;
    if (!only_space_between(p->src, line, last.off, 0))
        return (Span){0, 0}; /* `a UInt8, --- note` documents nothing below it */
    Span first = last;
    while (k > 0) {
        Span prev = p->docs.v[k - 1];
        if (!only_space_between(p->src, prev.off + prev.len, first.off, 1))
            break;
        first = prev;
        k--;
    }
    return span_cover(first, last);
}

/* A file declares thousands of `UInt64` columns: types are syntax without
 * identity, so one node serves every identical spelling in the file (the
 * spans of a shared node are its first occurrence's; users of a type's
 * position take it from the column or expression that holds it). */
TypeExpr *parse_type(Parse *p, Name name, TypeArgList args, Span span)
{
    const char *text = p->src + span.off;
    TypeExpr *t = strmap_get(&p->types, text, span.len);
    if (t)
        return t;
    TypeArgList kept = {0};
    if (args.n) { /* args were built in the scratch arena */
        kept.v = arena_alloc(p->arena, sizeof(TypeArg) * (size_t)args.n);
        memcpy(kept.v, args.v, sizeof(TypeArg) * (size_t)args.n);
        kept.n = kept.cap = args.n;
    }
    t = ast_type(p->arena, name, span.len > name.span.len, kept, span);
    return strmap_put(&p->types, text, span.len, t);
}

/* `a.b` in JSON(a.b UInt32, SKIP a.b): one name, the parts joined by dots
 * as ClickHouse stores the path (it prints it quoted: `a.b`). */
Name parse_path(Parse *p, Name head, Name part)
{
    char *s = arena_alloc(p->arena, head.len + part.len + 2);
    memcpy(s, head.s, head.len);
    s[head.len] = '.';
    memcpy(s + head.len + 1, part.s, part.len);
    s[head.len + 1 + part.len] = 0;
    Name n = head;
    n.s = s;
    n.len = head.len + 1 + part.len;
    n.span = span_cover(head.span, part.span);
    n.plain = 2;
    return n;
}

/* SKIP path and SKIP REGEXP 'x' in JSON(...): the words are names to the
 * grammar (they are no keywords anywhere else), so they are checked here. */
/* An action reported the error itself: the driver adds nothing. */
static void parse_reported(Parse *p)
{
    if (!p->failed)
        p->error_major = REPORTED;
    p->failed = true;
}

TypeArg parse_type_skip(Parse *p, Name skip, Name what, Span regexp)
{
    bool ok = skip.len == 4 && strncasecmp(skip.s, "SKIP", 4) == 0;
    if (regexp.len)
        ok = ok && what.len == 6 && strncasecmp(what.s, "REGEXP", 6) == 0;
    if (!ok && !p->failed)
        diag_error(p->diags, "syntax", p->file, skip.span, "%s",
                   regexp.len ? "expected SKIP REGEXP 'pattern'" : "expected SKIP path or a path and its type");
    if (!ok)
        parse_reported(p);
    /* SKIP a.b is the path a -> b; quoted as `a.b` it would be one key */
    if (what.len == what.span.len && memcmp(what.s, p->src + what.span.off, what.len) == 0)
        what.plain = 3;
    return (TypeArg){.kind = TARG_SKIP, .field = regexp.len ? (Name){0} : what, .lit = regexp};
}

TableBody parse_body(Parse *p, const TableElem *e)
{
    TableBody b = {0};
    parse_add_elem(p, &b, e);
    return b;
}

void parse_add_elem(Parse *p, TableBody *b, const TableElem *e)
{
    if (e->column)
        *LIST_PUSH(&p->scratch, &b->columns) = e->column;
    if (e->index)
        *LIST_PUSH(&p->scratch, &b->indexes) = e->index;
    if (e->constraint)
        *LIST_PUSH(&p->scratch, &b->constraints) = e->constraint;
    if (e->projection)
        *LIST_PUSH(&p->scratch, &b->projections) = e->projection;
}

/* Copies a list built in the scratch arena into the compilation's arena,
 * at its exact size. */
static void *keep_list(Parse *p, const void *v, int n, size_t elsize)
{
    if (!n)
        return NULL;
    void *kept = arena_alloc(p->arena, elsize * (size_t)n);
    memcpy(kept, v, elsize * (size_t)n);
    return kept;
}

ClauseList parse_keep_clauses(Parse *p, ClauseList l)
{
    return (ClauseList){keep_list(p, l.v, l.n, sizeof(Clause)), l.n, l.n};
}

Decl *parse_table(Parse *p, uint32_t first_off, DeclKind kind, QName name, TableBody *body, ClauseList clauses)
{
    Decl *d = parse_decl(p, first_off, (Decl){.kind = (uint8_t)kind, .name = name, .clauses = clauses});
    parse_keep_body(p, d, body);
    return d;
}

Decl *parse_local_table(Parse *p, uint32_t first_off, QName name, TableBody *body, ClauseList clauses)
{
    Decl *d = parse_table(p, first_off, DECL_TABLE, name, body, clauses);
    d->local = true;
    return d;
}

void parse_keep_body(Parse *p, Decl *d, TableBody *b)
{
    d->columns = (ColumnList){keep_list(p, b->columns.v, b->columns.n, sizeof(Column *)), b->columns.n, b->columns.n};
    if (!b->indexes.n && !b->constraints.n && !b->projections.n)
        return;
    TableBody *x = arena_zalloc(p->arena, sizeof(*x));
    x->indexes.v = keep_list(p, b->indexes.v, b->indexes.n, sizeof(TableIndex *));
    x->indexes.n = x->indexes.cap = b->indexes.n;
    x->constraints.v = keep_list(p, b->constraints.v, b->constraints.n, sizeof(Constraint *));
    x->constraints.n = x->constraints.cap = b->constraints.n;
    x->projections.v = keep_list(p, b->projections.v, b->projections.n, sizeof(Projection *));
    x->projections.n = x->projections.cap = b->projections.n;
    d->extras = x;
}

TableIndex *parse_index(Parse *p, Name name, Expr *e, TypeExpr *type, Span granularity, Span span)
{
    TableIndex *x = arena_alloc(p->arena, sizeof(*x));
    *x = (TableIndex){name, e, type, granularity, span};
    return x;
}

Constraint *parse_constraint(Parse *p, Name name, bool assume, Expr *e, Span span)
{
    Constraint *c = arena_alloc(p->arena, sizeof(*c));
    *c = (Constraint){name, assume, e, span};
    return c;
}

Projection *parse_projection(Parse *p, Name name, Select *q, Span span)
{
    Projection *x = arena_alloc(p->arena, sizeof(*x));
    *x = (Projection){name, q, span};
    return x;
}

Column *parse_column(Parse *p, Name name, TypeExpr *type, uint8_t null_mod, ColumnMods *mods, uint32_t first_off)
{
    Column *c = arena_alloc(p->arena, sizeof(*c));
    c->name = name;
    c->type = type;
    c->null_mod = null_mod;
    c->span = span_cover(name.span, parse_last_span(p));
    c->mods = mods;
    Span doc = parse_doc_before(p, first_off);
    if (doc.len) {
        if (!c->mods)
            c->mods = arena_zalloc(p->arena, sizeof(ColumnMods));
        c->mods->doc = doc;
    }
    return c;
}

ColumnMods *parse_column_modifier(Parse *p, ColumnMods *m, Span kw, bool already)
{
    if (!m)
        m = arena_zalloc(p->arena, sizeof(*m));
    if (already && !m->dup_mod.len)
        m->dup_mod = kw;
    return m;
}

ColumnMods *parse_column_codec(Parse *p, ColumnMods *m, Span kw, ExprList codec)
{
    m = parse_column_modifier(p, m, kw, m && m->codec.n);
    m->codec = codec;
    return m;
}

ColumnMods *parse_column_ttl(Parse *p, ColumnMods *m, Span kw, Expr *ttl)
{
    m = parse_column_modifier(p, m, kw, m && m->ttl);
    m->ttl = ttl;
    return m;
}

ColumnMods *parse_column_comment(Parse *p, ColumnMods *m, Span kw, Span comment)
{
    m = parse_column_modifier(p, m, kw, m && m->comment.len);
    m->comment = comment;
    return m;
}

Clause parse_rename_column(Parse *p, Name from, Name to, Span span)
{
    Name *renamed = arena_alloc(p->arena, sizeof(*renamed));
    *renamed = to;
    return (Clause){.kind = CL_RENAME_COLUMN, .span = span, .column = from, .renamed = renamed};
}

ColumnMods *parse_column_flag(Parse *p, ColumnMods *m, Name word)
{
    static const char *const words[] = {"HIERARCHICAL", "INJECTIVE", "IS_OBJECT_ID"};
    if (!m)
        m = arena_zalloc(p->arena, sizeof(*m));
    for (int i = 0; i < 3; i++)
        if (word.len == strlen(words[i]) && strncasecmp(word.s, words[i], word.len) == 0) {
            m->dict_flags |= (uint8_t)(1 << i);
            return m;
        }
    if (!m->bad_flag.len)
        m->bad_flag = word.span;
    return m;
}

ColumnMods *parse_column_expression(Parse *p, ColumnMods *m, Span kw, Expr *e)
{
    m = parse_column_modifier(p, m, kw, m && m->expression);
    m->expression = e;
    return m;
}

Clause parse_dict_clause(Parse *p, Name word, DictArgList args, Span span)
{
    static const struct { const char *word; ClauseKind kind; } kinds[] = {
        {"SOURCE", CL_SOURCE}, {"LAYOUT", CL_LAYOUT}, {"LIFETIME", CL_LIFETIME}, {"RANGE", CL_RANGE},
    };
    (void)p;
    ClauseKind kind = CL_DICT_OTHER;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (word.len == strlen(kinds[i].word) && strncasecmp(word.s, kinds[i].word, word.len) == 0)
            kind = kinds[i].kind;
    return (Clause){.kind = (uint8_t)kind, .span = span, .engine = word, .dargs = args};
}

DictArg parse_dict_nested(Parse *p, Name key, DictArgList args)
{
    DictArgList *kept = arena_alloc(p->arena, sizeof(*kept));
    *kept = args;
    return (DictArg){.key = key, .args = kept};
}

ColumnMods *parse_column_default(Parse *p, ColumnMods *m, DefaultKind kind, Span kw, Expr *e)
{
    m = parse_column_modifier(p, m, kw, m && m->default_kind != DEF_NONE);
    m->default_kind = (uint8_t)kind;
    m->default_kw = kw;
    m->default_expr = e;
    return m;
}

static void append_names(Arena *a, QNameList *to, QNameList from)
{
    for (int i = 0; i < from.n; i++)
        *LIST_PUSH(a, to) = from.v[i];
}

void parse_lineage_pulls(Parse *p, Lineage *l, Span kw, QNameList names)
{
    if (!l->npulls_clauses++)
        l->pulls_kw = kw;
    append_names(p->arena, &l->pulls_from, names);
}

void parse_lineage_pushes(Parse *p, Lineage *l, Span kw, QNameList names)
{
    if (!l->npushes_clauses++)
        l->pushes_kw = kw;
    append_names(p->arena, &l->pushes_to, names);
}

UnionTail parse_union_tail(UnionTail t, SetOp op, Select *s)
{
    if (!t.head)
        return (UnionTail){s, op};
    ast_union(t.head, op.kind, op.span, s);
    return t;
}

static bool word_is(const Parse *p, Token t, const char *w)
{
    return t.len == strlen(w) && strncasecmp(p->src + t.off, w, t.len) == 0;
}

WithItem parse_cte(Parse *p, Expr *e, Select *q, Span span)
{
    WithItem w = {.expr = e, .query = q, .span = span};
    if (e->kind != EX_CALL || e->u.call.extra || e->flags)
        return w;
    NameList cols = {0};
    for (int i = 0; i < e->u.call.args.n; i++) {
        const Expr *a = e->u.call.args.v[i];
        if (a->kind != EX_COLUMN || a->u.path.parts.n != 1)
            return w; /* not a column list: the checks say what is wrong */
        *LIST_PUSH(p->arena, &cols) = a->name;
    }
    w.expr = ast_column(p->arena, ast_names1(p->arena, e->name), e->name.span);
    w.columns = cols;
    return w;
}

ExplainSpec parse_explain(Parse *p, Token k1, Token k2, SettingList s, Select *q)
{
    static const struct { const char *w1, *w2; int kind; } kinds[] = {
        {"plan", NULL, EXPLAIN_PLAN}, {"ast", NULL, EXPLAIN_AST}, {"syntax", NULL, EXPLAIN_SYNTAX},
        {"query", "tree", EXPLAIN_QUERY_TREE}, {"pipeline", NULL, EXPLAIN_PIPELINE},
        {"estimate", NULL, EXPLAIN_ESTIMATE},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (word_is(p, k1, kinds[i].w1) &&
            (kinds[i].w2 ? k2.len && word_is(p, k2, kinds[i].w2) : !k2.len))
            return (ExplainSpec){kinds[i].kind, q, s};
    parse_syntax_error(p, TK_ID, k2.len && word_is(p, k1, "query") ? k2 : k1);
    return (ExplainSpec){EXPLAIN_PLAN, q, s};
}

Expr *parse_view_call(Parse *p, Token name, Expr *sub, Span span)
{
    if (!word_is(p, name, "view"))
        parse_syntax_error(p, TK_SELECT, p->last);
    Expr *e = ast_call(p->arena, ast_word(p->arena, p->src, name.off, name.len, name.keyword),
                       ast_exprs1(p->arena, sub), span);
    return ast_flag(e, EF_SELECT_ARG);
}

FromList parse_from_prepend(Parse *p, FromList l, FromItem *first)
{
    *LIST_PUSH(p->arena, &l) = first;
    memmove(l.v + 1, l.v, sizeof(*l.v) * (size_t)(l.n - 1));
    l.v[0] = first;
    return l;
}

FromList parse_join(Parse *p, FromList l, FromItem *t, int join, JoinCond c)
{
    t->is_join = true;
    t->join = (uint16_t)join;
    if (c.on)
        t->on = c.on;
    if (c.cols.n)
        t->using_cols = c.cols;
    *LIST_PUSH(p->arena, &l) = t;
    return l;
}

ExprList parse_prepend(Parse *p, Expr *first, ExprList rest)
{
    ExprList l = {0};
    *LIST_PUSH(p->arena, &l) = first;
    for (int i = 0; i < rest.n; i++)
        *LIST_PUSH(p->arena, &l) = rest.v[i];
    return l;
}

Expr *parse_typed_literal(Parse *p, Span kw, Expr *s)
{
    const char *fn = p->src[kw.off] == 'd' || p->src[kw.off] == 'D' ? "toDate" : "toDateTime";
    Name n = {.s = fn, .len = (uint32_t)strlen(fn), .span = kw, .plain = 1};
    return ast_call(p->arena, n, ast_exprs1(p->arena, s), span_cover(kw, s->span));
}

Name parse_verbatim(Parse *p, Span from, Span to)
{
    Span s = span_cover(from, to);
    return (Name){.s = p->src + s.off, .len = s.len, .span = s, .plain = 3};
}

static bool lambda_param(const Expr *e)
{
    if (e->kind == EX_ALIAS)
        e = e->u.x.a;
    return e->kind == EX_COLUMN && e->u.path.parts.n == 1;
}

static bool bare_one_name_lambda(const Expr *e)
{
    return e->kind == EX_LAMBDA && !(e->flags & EF_PARENS) && e->u.x.a->kind == EX_COLUMN &&
           !(e->u.x.a->flags & EF_PARENS);
}

/* ClickHouse takes every argument before a bare one-name lambda as one
 * more of its parameters (not before `(x, y) -> ...`), and refuses the
 * call unless they are all names. */
static ExprList fold_lambda_params(Parse *p, ExprList args)
{
    int k = 1;
    while (k < args.n && !bare_one_name_lambda(args.v[k]))
        k++;
    if (k >= args.n)
        return args;
    Expr *lambda = args.v[k], *head = lambda->u.x.a;
    ExprList params = {0};
    for (int i = 0; i < k; i++) {
        if (!lambda_param(args.v[i])) {
            if (!p->failed)
                diag_error(p->diags, "syntax", p->file, lambda->span, "%s",
                           "ClickHouse reads the arguments before a lambda as its parameters and they are not "
                           "names here: put the lambda in parentheses, (x -> ...)");
            parse_reported(p);
            return args;
        }
        *LIST_PUSH(p->arena, &params) = args.v[i];
    }
    *LIST_PUSH(p->arena, &params) = head;
    lambda->u.x.a = ast_list(p->arena, EX_TUPLE, params, span_cover(args.v[0]->span, head->span));
    ExprList out = {0};
    for (int i = k; i < args.n; i++)
        *LIST_PUSH(p->arena, &out) = args.v[i];
    return out;
}

CallArgs parse_callargs(Parse *p, ExprList args, int flags)
{
    Expr *a = args.n == 1 ? args.v[0] : NULL;
    if (a && a->kind == EX_STAR && !a->u.path.parts.n && !a->u.path.except.n)
        return (CallArgs){(ExprList){0}, flags | EF_STAR_ARG};
    return (CallArgs){fold_lambda_params(p, args), flags};
}

Expr *parse_star_except(Parse *p, Expr *star, int strict, ExprList items, Span end)
{
    bool names = star->kind == EX_STAR && !star->u.path.except.n && !strict;
    for (int i = 0; i < items.n && names; i++)
        names = items.v[i]->kind == EX_COLUMN && items.v[i]->u.path.parts.n == 1;
    if (!names)
        return ast_transform(p->arena, XF_EXCEPT, strict, star, ast_list(p->arena, EX_TUPLE, items, end), end);
    NameList l = {0};
    for (int i = 0; i < items.n; i++)
        *LIST_PUSH(p->arena, &l) = items.v[i]->name;
    star->u.path.except = l;
    star->span = span_cover(star->span, end);
    return star;
}

/* ---- Syntax errors ---- */

static const char *token_display(int tk)
{
    switch (tk) {
    case TK_LP: return "'('";
    case TK_RP: return "')'";
    case TK_LB: return "'['";
    case TK_RB: return "']'";
    case TK_LC: return "'{'";
    case TK_RC: return "'}'";
    case TK_COMMA: return "','";
    case TK_SEMI: return "';'";
    case TK_DOT: return "'.'";
    case TK_DCOLON: return "'::'";
    case TK_COLON: return "':'";
    case TK_QUESTION: return "'?'";
    case TK_ARROW: return "'->'";
    case TK_PLUS: return "'+'";
    case TK_MINUS: return "'-'";
    case TK_STAR: return "'*'";
    case TK_SLASH: return "'/'";
    case TK_PERCENT: return "'%'";
    case TK_CONCAT: return "'||'";
    case TK_EQ: return "'='";
    case TK_NE: return "'!='";
    case TK_LT: return "'<'";
    case TK_GT: return "'>'";
    case TK_LE: return "'<='";
    case TK_GE: return "'>='";
    case TK_NULL_SAFE_EQ: return "'<=>'";
    case TK_ID: return "a name";
    case TK_INTEGER: return "a number";
    case TK_FLOAT: return "a number";
    case TK_STRING: return "a string";
    case TK_UNIT: return "a time unit (second, minute, hour, day, ...)";
    case TK_SEMI_KW: return "'semi'";
    case TK_NOT_LIKE: return "'not like'";
    case TK_NOT_ILIKE: return "'not ilike'";
    case TK_NOT_IN: return "'not in'";
    case TK_NOT_BETWEEN: return "'not between'";
    default: break;
    }
    if (tk > 0 && tk < (int)(sizeof(token_names) / sizeof(token_names[0])) && token_names[tk])
        return token_names[tk];
    return "a token";
}

typedef LIST_OF(int) IntList;

/* Keywords that stand for a name wherever the grammar has no use for the
 * keyword itself: columns called `date`, `key`, `type`, `partition` or
 * `hour` need no quoting. The structural words of a query (SELECT, FROM,
 * WHERE, GROUP, ORDER, LIMIT, JOIN, ON, USING, AS, AND, OR, NOT, CASE...)
 * are not in this list and must be quoted to be names. */
static const bool name_keywords[256] = { /* token codes fit a byte */
    [TK_OPTION] = true, [TK_DATABASE] = true, [TK_TABLE] = true, [TK_EXTERNAL] = true,
    [TK_VIEW] = true, [TK_MATERIALIZED] = true, [TK_FUNCTION] = true, [TK_DROP] = true,
    [TK_PULLS_FROM] = true, [TK_PUSHES_TO] = true, [TK_REFRESH] = true, [TK_BACKFILL] = true, [TK_EVERY] = true,
    [TK_AFTER] = true, [TK_APPEND] = true, [TK_ENGINE] = true, [TK_PRIMARY] = true, [TK_KEY] = true,
    [TK_TTL] = true, [TK_COMMENT] = true, [TK_DEFAULT] = true, [TK_ALIAS] = true,
    [TK_EPHEMERAL] = true, [TK_CODEC] = true, [TK_DELETE] = true, [TK_DISK] = true,
    [TK_VOLUME] = true, [TK_RECOMPRESS] = true, [TK_SET] = true, [TK_BY] = true, [TK_OFFSET] = true, [TK_ALL] = true, [TK_INNER] = true,
    [TK_LEFT] = true, [TK_RIGHT] = true, [TK_FULL] = true, [TK_OUTER] = true, [TK_CROSS] = true,
    [TK_ANY] = true, [TK_ASOF] = true, [TK_SEMI_KW] = true, [TK_ANTI] = true, [TK_PASTE] = true,
    [TK_GLOBAL] = true, [TK_ARRAY] = true, [TK_FINAL] = true, [TK_SAMPLE] = true, [TK_CAST] = true,
    [TK_INTERVAL] = true, [TK_EXISTS] = true, [TK_EXTRACT] = true, [TK_OVER] = true,
    [TK_PARTITION] = true, [TK_ROWS] = true, [TK_RANGE] = true, [TK_UNBOUNDED] = true,
    [TK_PRECEDING] = true, [TK_FOLLOWING] = true, [TK_CURRENT] = true, [TK_ROW] = true,
    [TK_WINDOW] = true, [TK_ASC] = true, [TK_DESC] = true, [TK_NULLS] = true, [TK_FIRST] = true,
    [TK_LAST] = true, [TK_COLLATE] = true, [TK_FILL] = true, [TK_TO] = true, [TK_STEP] = true,
    [TK_TOTALS] = true, [TK_ROLLUP] = true, [TK_CUBE] = true, [TK_GROUPING] = true,
    [TK_SETS] = true, [TK_TIES] = true, [TK_DIV] = true, [TK_MOD] = true, [TK_BOTH] = true,
    [TK_LEADING] = true, [TK_TRAILING] = true, [TK_TRIM] = true, [TK_UNIT] = true,
    [TK_FETCH] = true, [TK_NEXT] = true, [TK_ONLY] = true, [TK_QUALIFY] = true, [TK_EXCEPT] = true,
    [TK_SETTINGS] = true, /* system.query_log has a `Settings` column */
    [TK_INDEX] = true, [TK_TYPE] = true, [TK_GRANULARITY] = true, [TK_CONSTRAINT] = true,
    [TK_CHECK] = true, [TK_ASSUME] = true, [TK_PROJECTION] = true, [TK_AGGREGATE] = true,
    [TK_RENAME] = true, [TK_COLUMN] = true, [TK_NARROW] = true,
    [TK_INTERSECT] = true, [TK_EXPLAIN] = true, [TK_RECURSIVE] = true, [TK_INTERPOLATE] = true,
    [TK_STALENESS] = true,
    [TK_DICTIONARY] = true, [TK_EXPRESSION] = true,
    [TK_COLUMNS] = true, [TK_APPLY] = true, [TK_REPLACE] = true, [TK_STRICT] = true,
    [TK_RESPECT] = true, [TK_IGNORE] = true, [TK_SUBSTRING] = true, [TK_FOR] = true,
};

static bool may_be_name(int tk)
{
    return tk > 0 && tk < 256 && name_keywords[tk];
}

bool parse_word_is_reserved(const char *s, size_t len)
{
    char word[64];
    if (len == 0 || len >= sizeof word)
        return false; /* no keyword is that long */
    memcpy(word, s, len);
    word[len] = '\0';
    Lexer lx;
    Token t;
    lex_init(&lx, word, len);
    /* Any keyword, even one the grammar often takes as a name: whether it
     * may be one depends on what follows, and quoting never hurts. */
    return lex_next(&lx, &t) != TK_ID;
}

bool parse_word_needs_quotes(const char *s, size_t len)
{
    char word[64];
    if (len == 0 || len >= sizeof word)
        return false;
    memcpy(word, s, len);
    word[len] = '\0';
    Lexer lx;
    Token t;
    lex_init(&lx, word, len);
    int tk = lex_next(&lx, &t);
    return tk != TK_ID && !may_be_name(tk);
}

/* The punctuation that most often goes missing is listed first. */
static const int first_listed[] = {TK_COMMA, TK_SEMI, TK_RP, TK_RB};

static bool listed_first(int tk)
{
    for (size_t i = 0; i < sizeof(first_listed) / sizeof(first_listed[0]); i++)
        if (first_listed[i] == tk)
            return true;
    return false;
}

static IntList expected_tokens(Parse *p, void *parser)
{
    IntList out = {0};
    int n = mvd_parser_token_count();
    bool name_ok = mvd_parser_accepts(parser, TK_ID);
    for (size_t i = 0; i < sizeof(first_listed) / sizeof(first_listed[0]); i++)
        if (mvd_parser_accepts(parser, first_listed[i]))
            *LIST_PUSH(p->arena, &out) = first_listed[i];
    for (int tk = 1; tk < n; tk++) {
        if (listed_first(tk))
            continue;
        if (tk == TK_DOC || tk == TK_ILLEGAL || tk == TK_SELECT_MODE || tk == TK_INTERVAL_TEXT ||
            tk == TK_TYPED_LITERAL || tk == TK_FLOAT || tk == TK_LOWEST || tk == TK_LOCAL)
            continue;
        if (name_ok && (may_be_name(tk) || tk == TK_NULL || tk == TK_JOIN))
            continue; /* a name, or an engine name that is a keyword: nothing to add */
        if (mvd_parser_accepts(parser, tk))
            *LIST_PUSH(p->arena, &out) = tk;
    }
    return out;
}

static bool contains(IntList l, int tk)
{
    for (int i = 0; i < l.n; i++)
        if (l.v[i] == tk)
            return true;
    return false;
}

static bool is_operator(int tk)
{
    static const int ops[] = {
        TK_ARROW, TK_QUESTION, TK_OR, TK_AND, TK_NOT, TK_EQ, TK_NE, TK_LT, TK_GT, TK_LE,
        TK_GE, TK_NULL_SAFE_EQ, TK_LIKE, TK_ILIKE, TK_IN, TK_BETWEEN, TK_IS, TK_GLOBAL_IN, TK_GLOBAL_NOT_IN,
        TK_CONCAT, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_DIV, TK_MOD,
        TK_DCOLON, TK_LB, TK_DOT, TK_NOT_LIKE, TK_NOT_ILIKE, TK_NOT_IN, TK_NOT_BETWEEN,
    };
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (ops[i] == tk)
            return true;
    return false;
}

/* "an expression" where one may start; otherwise the acceptable tokens,
 * with the binary operators folded into "an operator". */
static const char *describe_expected(Parse *p, IntList e)
{
    if (contains(e, TK_ID) && contains(e, TK_INTEGER))
        return contains(e, TK_CASE) ? "an expression" : "a type, a number or a string";
    IntList words = {0};
    int operators = 0;
    for (int i = 0; i < e.n; i++) {
        if (is_operator(e.v[i]))
            operators++;
        else
            *LIST_PUSH(p->arena, &words) = e.v[i];
    }
    if (operators > 0 && operators < 3) {
        words.n = 0;
        for (int i = 0; i < e.n; i++)
            *LIST_PUSH(p->arena, &words) = e.v[i];
        operators = 0;
    }
    if (words.n == 0 && operators == 0)
        return "the end of the statement";
    enum { MAX_LISTED = 6 };
    char *s = "";
    int listed = words.n < MAX_LISTED ? words.n : MAX_LISTED;
    int items = listed + (operators > 0);
    for (int i = 0; i < items; i++) {
        const char *sep = i == 0 ? "" : (i == items - 1 && listed == words.n) ? " or " : ", ";
        const char *what = i < listed ? token_display(words.v[i]) : "an operator";
        s = arena_printf(p->arena, "%s%s%s", s, sep, what);
    }
    if (listed < words.n)
        s = arena_printf(p->arena, "one of %s, ...", s);
    return s;
}

/* Lemon calls this with its stack already reduced past what the bad token
 * needed; the driver re-parses the statement to explain the error. */
void parse_syntax_error(Parse *p, int major, Token t)
{
    if (p->failed)
        return;
    p->failed = true;
    p->error_major = major;
    p->error_token = t;
}

void parse_stack_overflow(Parse *p)
{
    if (p->failed)
        return;
    p->failed = true;
    p->error_major = -1;
    p->error_token = p->last;
}

/* A chain `a + a + ...` deepens the tree without deepening the parser's
 * stack: its depth is checked here, as the tree grows. */
Expr *parse_depth_checked(Parse *p, Expr *e)
{
    if (e->depth > PARSE_MAX_DEPTH && !p->failed) {
        p->failed = true;
        p->error_major = -2;
        p->error_token = p->last;
    }
    return e;
}

/* ---- The driver ---- */

typedef struct Fed {
    int tk;
    Token t;
} Fed;

static void *alloc_parser(Parse *p, bool select_mode)
{
    void *parser = mvdParserAlloc(malloc, p);
    if (select_mode)
        mvdParser(parser, TK_SELECT_MODE, (Token){0});
    return parser;
}

/* Returns the next token for the grammar: doc comments are recorded and
 * lexical errors reported here, so the parser never sees either. */
static int next_token(Parse *p, Lexer *lx, Token *t)
{
    for (;;) {
        int tk = lex_next(lx, t);
        t->keyword = tk != TK_ID; /* for a word: it must be quoted to be a name */
        if (tk == TK_DOC) {
            *LIST_PUSH(p->arena, &p->docs) = span_of_token(t->off, t->len);
            continue;
        }
        if (tk == TK_ILLEGAL && !p->failed) {
            p->failed = true;
            p->error_major = TK_ILLEGAL;
            p->error_token = *t;
            p->lex_error = lx->error;
        }
        return tk;
    }
}

/* Replays the statement's tokens up to the bad one into a fresh parser,
 * whose untouched stack tells exactly which tokens were acceptable. */
static IntList acceptable_at_error(Parse *p, const Fed *fed, int n, bool select_mode)
{
    void *parser = alloc_parser(p, select_mode);
    p->failed = true; /* keeps the replay from reporting anything itself */
    for (int i = 0; i < n - 1; i++)
        mvdParser(parser, fed[i].tk, fed[i].t);
    IntList e = expected_tokens(p, parser);
    mvdParserFree(parser, free);
    return e;
}

static bool is_keyword(int tk)
{
    return tk != TK_ID && tk != TK_STRING && tk != TK_INTEGER && tk != TK_FLOAT && token_names[tk] &&
           token_display(tk)[0] == '\'' && isalpha((unsigned char)token_display(tk)[1]);
}

/* A statement keyword at the start of a line after an error most likely
 * begins the next statement (the `;` before it is missing): recovery
 * restarts there instead of skipping that statement too. */
static bool starts_statement(Parse *p, int tk, Token t)
{
    if (tk != TK_TABLE && tk != TK_VIEW && tk != TK_MATERIALIZED && tk != TK_DATABASE && tk != TK_OPTION &&
        tk != TK_EXTERNAL && tk != TK_FUNCTION && tk != TK_DROP)
        return false;
    uint32_t i = t.off;
    while (i > 0 && (p->src[i - 1] == ' ' || p->src[i - 1] == '\t'))
        i--;
    return i == 0 || p->src[i - 1] == '\n';
}

/* Hints for the two errors whose cause lies before the reported token: a
 * reserved word used as a name, and a string whose closing quote is
 * missing (it then swallows text up to the next quote). */
static void add_hints(Parse *p, Diag *g, const Fed *fed, int n, IntList expected)
{
    Token t = p->error_token;
    if (is_keyword(p->error_major) && contains(expected, TK_ID))
        diag_note(p->diags, g, NULL, (Span){0}, "'%.*s' is a keyword here; quote it as `%.*s` to use it as a name",
                  (int)t.len, p->src + t.off, (int)t.len, p->src + t.off);
    for (int i = n - 2; i >= 0 && i >= n - 4; i--) {
        Token s = fed[i].t;
        if (fed[i].tk == TK_STRING && memchr(p->src + s.off, '\n', s.len)) {
            diag_note(p->diags, g, p->file, span_of_token(s.off, 1),
                      "this string runs across lines: is its closing quote missing?");
            break;
        }
    }
}

static void report_syntax_error(Parse *p, const Fed *fed, int n, bool select_mode)
{
    if (p->error_major == TK_ILLEGAL) {
        Token t = p->error_token;
        Diag *g = diag_error(p->diags, "syntax", p->file, span_of_token(t.off, t.len ? t.len : 1), "%s",
                             lex_error_message(p->lex_error));
        add_hints(p, g, fed, n + 1, (IntList){0});
        return;
    }
    if (p->error_major == REPORTED)
        return;
    if (p->error_major == -1) {
        diag_error(p->diags, "syntax", p->file, span_of_token(p->error_token.off, p->error_token.len),
                   "nesting too deep: simplify the expression (at most about 2000 levels)");
        return;
    }
    if (p->error_major == -2) {
        diag_error(p->diags, "syntax", p->file, span_of_token(p->error_token.off, p->error_token.len),
                   "expression too deep: more than %d operators in one chain or nested in one another; "
                   "split it (ClickHouse's max_parser_depth is 1000 too)",
                   PARSE_MAX_DEPTH);
        return;
    }
    IntList e = acceptable_at_error(p, fed, n, select_mode);
    const char *expected = describe_expected(p, e);
    Token t = p->error_token;
    Diag *g;
    if (p->error_major == 0) {
        /* Point just past the last token, not at an empty last line. */
        Span at = n >= 2 ? (Span){fed[n - 2].t.off + fed[n - 2].t.len, 0} : (Span){0, 0};
        if (contains(e, TK_SEMI))
            expected = "';' at the end of the statement";
        g = diag_error(p->diags, "syntax", p->file, at, "unexpected end of file, expected %s", expected);
    } else {
        int shown = t.len > 40 ? 40 : (int)t.len;
        g = diag_error(p->diags, "syntax", p->file, span_of_token(t.off, t.len), "unexpected '%.*s%s', expected %s",
                       shown, p->src + t.off, t.len > 40 ? "..." : "", expected);
    }
    add_hints(p, g, fed, n, e);
    if (contains(e, TK_SEMI) && starts_statement(p, p->error_major, t))
        diag_note(p->diags, g, NULL, (Span){0}, "is the ';' that ends the previous statement missing?");
}

/* The name a statement that failed to parse was declaring, so that later
 * passes know the object exists and do not pile unknown-object errors on
 * top of the syntax error. */
static void keep_broken_name(Parse *p, const Fed *fed, int n)
{
    int at = 1;
    if (n > 1 && (fed[0].tk == TK_EXTERNAL || fed[0].tk == TK_MATERIALIZED))
        at = 2;
    else if (n < 1 || (fed[0].tk != TK_TABLE && fed[0].tk != TK_VIEW))
        return;
    if (at >= n || fed[at].tk != TK_ID)
        return;
    Decl *d = parse_decl(p, fed[0].t.off, (Decl){.kind = DECL_BROKEN});
    d->name.name = ast_name(p->arena, p->src, fed[at].t.off, fed[at].t.len);
    d->name.span = d->name.name.span;
    if (at + 2 < n && fed[at + 1].tk == TK_DOT && fed[at + 2].tk == TK_ID) {
        d->name.db = d->name.name;
        d->name.name = ast_name(p->arena, p->src, fed[at + 2].t.off, fed[at + 2].t.len);
        d->name.span = span_cover(d->name.db.span, d->name.name.span);
    }
    d->span = span_cover(d->span, span_of_token(fed[n - 1].t.off, fed[n - 1].t.len));
    *LIST_PUSH(p->arena, p->decls) = d;
}

/* `local` is a word of the language only where a statement starts (`local
 * table`, where no name can stand): the lexer keeps it a name, so that
 * names spelled `local` print and hash as before, and need no quotes. */
static bool is_local_word(const Parse *p, int tk, Token t)
{
    return tk == TK_ID && t.len == 5 && strncasecmp(p->src + t.off, "local", 5) == 0;
}

/* The token after the current one, without consuming it. */
static int peek_token(const Lexer *lx, Token *t)
{
    Lexer copy = *lx;
    int tk;
    do
        tk = lex_next(&copy, t);
    while (tk == TK_DOC);
    return tk;
}

/* `INTERVAL '1 day'`: a string with a letter in it and no unit after it
 * holds its own unit; `INTERVAL '2' DAY` is the general form with a
 * string operand. lx is just past INTERVAL, s the string after it. */
static bool string_has_unit(const Parse *p, const Lexer *lx, Token s)
{
    Lexer after = *lx;
    Token t;
    lex_next(&after, &t); /* the string */
    if (peek_token(&after, &t) == TK_UNIT)
        return false;
    for (uint32_t i = 1; i + 1 < s.len; i++)
        if (isalpha((unsigned char)p->src[s.off + i]))
            return true;
    return false;
}

/* Keywords ClickHouse also reads as a column name where the keyword cannot
 * stand: name_keywords anywhere, END and FROM where an expression starts
 * (`intervalLengthSum(start, end)`, `(from, to) -> from + to`), not as an
 * alias (`FROM t FROM u` stays an error). END and FROM are always quoted
 * when printed. */
static bool names_where_no_keyword(void *parser, int tk)
{
    return may_be_name(tk) || ((tk == TK_END || tk == TK_FROM) && mvd_parser_accepts(parser, TK_INTEGER));
}

/* A token that cannot begin INTERVAL's operand: `interval AS x`,
 * `max(interval)`, `interval + 1` name a column called interval (so
 * `INTERVAL +1 DAY` needs no plus). */
static bool ends_operand(int tk)
{
    static const int ends[] = {
        0, TK_SEMI, TK_AS, TK_COMMA, TK_RP, TK_RB, TK_FROM, TK_PLUS, TK_EQ, TK_NE, TK_NULL_SAFE_EQ, TK_LT, TK_GT, TK_LE, TK_GE,
        TK_CONCAT, TK_SLASH, TK_PERCENT, TK_STAR, TK_AND, TK_OR, TK_DCOLON, TK_IS, TK_IN, TK_NOT_IN,
        TK_LIKE, TK_NOT_LIKE, TK_ILIKE, TK_NOT_ILIKE, TK_BETWEEN, TK_NOT_BETWEEN, TK_QUESTION,
        TK_COLON, TK_ARROW, TK_WHERE, TK_GROUP, TK_ORDER, TK_LIMIT, TK_HAVING, TK_SETTINGS,
    };
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
        if (ends[i] == tk)
            return true;
    return false;
}

/* Whether a keyword is read as a name here, decided as ClickHouse's
 * parser does by trying the keyword's reading first: a keyword before `(`
 * that the grammar cannot take is a function (`like(s, 'a%')`,
 * `and(a, b)`, `in(x, t)`); `Settings['x']` subscripts a column; a word
 * after `.` is a part of a path (`n.null`); and a keyword the grammar has
 * no use for where it stands is a name (name_keywords, END, FROM). */
/* DATE '...' and TIMESTAMP '...' where an expression starts: the words
 * stay names everywhere else (a column called date is common). */
static bool typed_literal(const Parse *p, void *parser, const Lexer *lx, Token t)
{
    const char *w = p->src + t.off;
    if (!((t.len == 4 && strncasecmp(w, "date", 4) == 0) || (t.len == 9 && strncasecmp(w, "timestamp", 9) == 0)))
        return false;
    Token s;
    return peek_token(lx, &s) == TK_STRING && mvd_parser_accepts(parser, TK_INTEGER);
}

static int keyword_or_name(const Parse *p, void *parser, const Lexer *lx, int tk, int prev)
{
    Token nt;
    int next = peek_token(lx, &nt);
    if (tk == TK_INTERVAL && next == TK_STRING && string_has_unit(p, lx, nt))
        return TK_INTERVAL_TEXT;
    if (!mvd_parser_accepts(parser, TK_ID))
        return tk;
    if ((tk == TK_COLUMNS || tk == TK_SUBSTRING) && next != TK_LP)
        return TK_ID; /* a column called columns, not the COLUMNS(...) matcher */
    if ((tk == TK_RESPECT || tk == TK_IGNORE) && next != TK_NULLS)
        return TK_ID; /* `f(x) ignore` is an alias */
    bool shifts = mvd_parser_accepts(parser, tk);
    if (!shifts && (prev == TK_DOT || names_where_no_keyword(parser, tk)))
        return TK_ID;
    bool operand = mvd_parser_accepts(parser, TK_INTEGER);
    if (!shifts && next == TK_LP && (operand || prev == TK_FROM || prev == TK_JOIN))
        return TK_ID; /* an expression or a table function, not `table select (...)` */
    if (tk == TK_SETTINGS && next == TK_LB && operand)
        return TK_ID; /* `a, Settings['x']` after a comma that could end the list */
    if (tk == TK_INTERVAL && ends_operand(next))
        return TK_ID;
    return tk;
}

static void run(Parse *p, bool select_mode)
{
    Lexer lx;
    lex_init(&lx, p->file->text, p->file->len);
    void *parser = alloc_parser(p, select_mode);
    Arena tokens; /* fed's, for the length of this file only */
    arena_init(&tokens);
    LIST_OF(Fed) fed = {0}; /* the current statement's tokens */
    ArenaMark statement_start = arena_mark(&p->scratch);
    Token t;
    int tk = next_token(p, &lx, &t);
    for (;;) {
        if (!p->failed) {
            if (fed.n == 0 && !select_mode && is_local_word(p, tk, t))
                tk = TK_LOCAL;
            if (t.keyword && ast_plain_chars(p->src + t.off, t.len))
                tk = keyword_or_name(p, parser, &lx, tk, fed.n ? fed.v[fed.n - 1].tk : 0);
            else if (tk == TK_ID && typed_literal(p, parser, &lx, t))
                tk = TK_TYPED_LITERAL;
            *LIST_PUSH(&tokens, &fed) = (Fed){tk, t};
            mvdParser(parser, tk, t);
            p->last = t;
        }
        if (p->failed) {
            report_syntax_error(p, fed.v, fed.n, select_mode);
            if (select_mode)
                break;
            keep_broken_name(p, fed.v, fed.n);
            bool restart_here = p->error_major != TK_ILLEGAL && tk != TK_SEMI && starts_statement(p, tk, t);
            /* Recover: skip to the end of the broken statement. */
            while (!restart_here && tk != 0 && tk != TK_SEMI)
                tk = next_token(p, &lx, &t);
            mvdParserFree(parser, free);
            parser = alloc_parser(p, false);
            p->failed = false;
            fed.n = 0;
            if (restart_here)
                continue; /* feed the same token to the fresh parser */
        }
        if (tk == TK_SEMI || tk == 0) {
            fed.n = 0;
            arena_release(&p->scratch, statement_start);
        }
        if (tk == 0)
            break;
        tk = next_token(p, &lx, &t);
    }
    mvdParserFree(parser, free);
    arena_free(&tokens);
}

static void init(Parse *p, Arena *a, Diags *d, SourceFile *f)
{
    memset(p, 0, sizeof(*p));
    p->arena = a;
    p->diags = d;
    p->file = f;
    p->src = f->text;
    strmap_init(&p->types, a);
    arena_init(&p->scratch);
}

void parse_source(Arena *a, Diags *d, SourceFile *f, DeclList *out)
{
    Parse p;
    init(&p, a, d, f);
    p.decls = out;
    run(&p, false);
    arena_free(&p.scratch);
}

Select *parse_select_source(Arena *a, Diags *d, SourceFile *f)
{
    Parse p;
    DeclList unused = {0};
    init(&p, a, d, f);
    p.decls = &unused;
    int before = d->errors;
    run(&p, true);
    arena_free(&p.scratch);
    return d->errors == before ? p.select : NULL;
}
