#include "syntax/ast.h"
#include "hex.h"

#include <ctype.h>
#include <string.h>

void list_grow(Arena *a, void **v, int *cap, int n, size_t elsize)
{
    if (n < *cap)
        return;
    int ncap = *cap ? *cap * 2 : 1; /* most lists hold one item: a path, an argument */
    void *nv = arena_alloc(a, elsize * (size_t)ncap);
    if (n)
        memcpy(nv, *v, elsize * (size_t)n);
    *v = nv;
    *cap = ncap;
}

void list_reserve(Arena *a, void **v, int *cap, int n, int extra, size_t elsize)
{
    if (extra <= 0 || n + extra <= *cap)
        return;
    void *nv = arena_alloc(a, elsize * (size_t)(n + extra));
    if (n)
        memcpy(nv, *v, elsize * (size_t)n);
    *v = nv;
    *cap = n + extra;
}

Span span_cover(Span first, Span last)
{
    uint32_t end = last.off + last.len;
    if (end < first.off + first.len)
        end = first.off + first.len;
    return (Span){first.off, end - first.off};
}

Span span_of_token(uint32_t off, uint32_t len)
{
    return (Span){off, len};
}

/* The one table of backslash escapes, for strings and quoted names, as
 * ClickHouse reads them (parseComplexEscapeSequence): \xHH is a byte, \N
 * nothing, \a \b \e \f \n \r \t \v \0 control characters, and a
 * backslash before \ ' " ` / = or a control character is dropped. Before
 * anything else ClickHouse keeps the backslash: 'a\.b' is four bytes, so
 * that LIKE 'a\_b' and regular expressions mean what they say. */
int ast_unquote_char(const char *s, uint32_t end, uint32_t *i, char quote, char out[2])
{
    char c = s[*i];
    if (c == quote && *i + 1 < end && s[*i + 1] == quote) {
        ++*i;
        out[0] = quote;
        return 1;
    }
    if (c != '\\' || *i + 1 >= end) {
        out[0] = c;
        return 1;
    }
    char e = s[++*i];
    switch (e) {
    case 'x':
        if (*i + 2 < end) {
            out[0] = (char)((hex_value(s[*i + 1]) * 16 + hex_value(s[*i + 2])) & 0xff);
            *i += 2;
            return 1;
        }
        break;
    case 'N': return 0;
    case 'a': out[0] = '\a'; return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'e': out[0] = '\x1b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'v': out[0] = '\v'; return 1;
    case '0': out[0] = '\0'; return 1;
    case '\\': case '\'': case '"': case '`': case '/': case '=':
        out[0] = e;
        return 1;
    default: break;
    }
    if ((unsigned char)e <= 31) {
        out[0] = e;
        return 1;
    }
    out[0] = '\\';
    out[1] = e;
    return 2;
}

int ast_unicode_quote(const char *s, uint32_t len)
{
    if (len < 6 || (unsigned char)s[0] != 0xe2 || (unsigned char)s[1] != 0x80)
        return 0;
    unsigned char open = (unsigned char)s[2];
    return open == 0x98 || open == 0x9c ? open : 0;
}

/* `name`, "name", 'string', the Unicode-quoted forms and bare names; inside
 * ASCII quotes escapes work as ast_unquote_char says, in Unicode quotes
 * there are none (as in ClickHouse). */
Name ast_name(Arena *a, const char *src, uint32_t off, uint32_t len)
{
    const char *s = src + off;
    Name n = {.s = s, .len = len, .span = {off, len}};
    if (ast_unicode_quote(s, len)) {
        n.s = s + 3;
        n.len = len - 6;
        return n;
    }
    if (len < 2 || (s[0] != '`' && s[0] != '"' && s[0] != '\''))
        return n;
    char *out = arena_alloc(a, len);
    uint32_t k = 0;
    for (uint32_t i = 1; i + 1 < len; i++)
        k += (uint32_t)ast_unquote_char(s, len - 1, &i, s[0], out + k);
    n.s = out;
    n.len = k;
    return n;
}

bool ast_same_column(const Expr *a, const Expr *b)
{
    if (!a || !b || a->kind != EX_COLUMN || b->kind != EX_COLUMN || a->u.path.parts.n != b->u.path.parts.n)
        return false;
    for (int i = 0; i < a->u.path.parts.n; i++)
        if (!name_eq(a->u.path.parts.v[i], b->u.path.parts.v[i]))
            return false;
    return true;
}

const Expr *ast_not_null_operand(const Expr *cond)
{
    if (cond && cond->kind == EX_IS_NULL && (cond->flags & EF_NOT))
        return cond->u.x.a;
    if (cond && cond->kind == EX_CALL && name_is(cond->name, "isNotNull") && cond->u.call.args.n == 1)
        return cond->u.call.args.v[0];
    return NULL;
}

Name ast_decl_engine(const Decl *d)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == CL_ENGINE)
            return d->clauses.v[i].engine;
    return (Name){0};
}

bool ast_engine_merge_tree(Name e)
{
    return e.len >= 9 && memcmp(e.s + e.len - 9, "MergeTree", 9) == 0;
}

bool ast_decl_replicated(const Decl *d)
{
    Name e = ast_decl_engine(d);
    return e.len >= 10 && strncmp(e.s, "Replicated", 10) == 0;
}

bool ast_decl_replaces_column(const Decl *d, Name column, Name *from)
{
    bool dropped = false, renamed = false;
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *c = &d->clauses.v[i];
        dropped |= c->kind == CL_DROP_COLUMN && name_eq(c->column, column);
        if (c->kind == CL_RENAME_COLUMN && c->renamed && name_eq(*c->renamed, column)) {
            renamed = true;
            *from = c->column;
        }
    }
    return dropped && renamed;
}

/* Like strchr, it takes a const pointer and gives back one its caller
 * may write through when it owns e. */
Expr *ast_unalias(const Expr *e)
{
    while (e && e->kind == EX_ALIAS)
        e = e->u.x.a;
    return (Expr *)e;
}

bool ast_plain_chars(const char *s, uint32_t len)
{
    if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (uint32_t i = 1; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

Name ast_word(Arena *a, const char *src, uint32_t off, uint32_t len, bool keyword)
{
    Name n = ast_name(a, src, off, len);
    if (n.s != src + off || !n.len)
        return n; /* quoted: print_name_is_plain works it out */
    n.plain = ast_plain_chars(n.s, n.len) && !keyword ? 1 : 2;
    return n;
}

Expr *ast_expr(Arena *a, ExprKind kind, Span span)
{
    Expr *e = arena_zalloc(a, sizeof(*e));
    e->kind = (uint8_t)kind;
    e->span = span;
    e->depth = 1;
    return e;
}

/* Makes e one level deeper than child (when there is one). */
static void deeper(Expr *e, const Expr *child)
{
    if (child && child->depth >= e->depth)
        e->depth = child->depth + 1;
}

static void deeper_list(Expr *e, const ExprList *l)
{
    for (int i = 0; i < l->n; i++)
        deeper(e, l->v[i]);
}

Expr *ast_unary(Arena *a, Op op, Span op_span, Expr *operand)
{
    Expr *e = ast_expr(a, EX_UNARY, span_cover(op_span, operand->span));
    e->op = (uint8_t)op;
    e->u.x.a = operand;
    deeper(e, operand);
    return e;
}

Expr *ast_binary(Arena *a, Op op, Expr *l, Expr *r)
{
    Expr *e = ast_expr(a, EX_BINARY, span_cover(l->span, r->span));
    e->op = (uint8_t)op;
    e->u.x.a = l;
    e->u.x.b = r;
    deeper(e, l);
    deeper(e, r);
    return e;
}

Expr *ast_triple(Arena *a, ExprKind kind, Expr *x, Expr *y, Expr *z, Span span)
{
    Expr *e = ast_expr(a, kind, span);
    e->u.x.a = x;
    e->u.x.b = y;
    e->u.x.c = z;
    deeper(e, x);
    deeper(e, y);
    deeper(e, z);
    return e;
}

/* A path built in the parser's scratch arena, kept at its exact size. */
static NameList keep_path(Arena *a, NameList parts)
{
    NameList kept = {0};
    if (parts.n) {
        kept.v = arena_alloc(a, sizeof(Name) * (size_t)parts.n);
        memcpy(kept.v, parts.v, sizeof(Name) * (size_t)parts.n);
        kept.n = kept.cap = parts.n;
    }
    return kept;
}

Expr *ast_column(Arena *a, NameList parts, Span span)
{
    Expr *e = ast_expr(a, EX_COLUMN, span);
    e->name = parts.v[parts.n - 1];
    /* Most references are one name: their path is the name itself. */
    e->u.path.parts = parts.n == 1 ? (NameList){&e->name, 1, 1} : keep_path(a, parts);
    return e;
}

Column *ast_column_without_ttl(Arena *a, Column *c)
{
    if (!c->mods || !c->mods->ttl)
        return c;
    Column *bare = arena_alloc(a, sizeof(*bare));
    ColumnMods *mods = arena_alloc(a, sizeof(*mods));
    *bare = *c;
    *mods = *c->mods;
    mods->ttl = NULL;
    bare->mods = mods;
    return bare;
}

Expr *ast_star(Arena *a, NameList qualifier, NameList except, Span span)
{
    Expr *e = ast_expr(a, EX_STAR, span);
    e->u.path.parts = keep_path(a, qualifier);
    e->u.path.except = except;
    return e;
}

Expr *ast_columns(Arena *a, Expr *qualifier, ExprList args, Span span)
{
    return ast_triple(a, EX_COLUMNS, qualifier, ast_list(a, EX_TUPLE, args, span), NULL, span);
}

Expr *ast_transform(Arena *a, int xf, int flags, Expr *base, Expr *arg, Span end)
{
    Expr *e = ast_triple(a, EX_TRANSFORM, base, arg, NULL, span_cover(base->span, end));
    e->op = (uint8_t)xf;
    e->flags = (uint16_t)flags;
    return e;
}

Expr *ast_call(Arena *a, Name fn, ExprList args, Span span)
{
    Expr *e = ast_expr(a, EX_CALL, span);
    e->name = fn;
    e->u.call.args = args;
    deeper_list(e, &args);
    return e;
}

CallExtra *ast_call_extra(Arena *a, Expr *call)
{
    if (!call->u.call.extra)
        call->u.call.extra = arena_zalloc(a, sizeof(CallExtra));
    return call->u.call.extra;
}

Expr *ast_list(Arena *a, ExprKind kind, ExprList items, Span span)
{
    Expr *e = ast_expr(a, kind, span);
    e->u.list.items = items;
    deeper_list(e, &items);
    return e;
}

Expr *ast_alias(Arena *a, Expr *inner, Name alias, bool implicit)
{
    Expr *e = ast_expr(a, EX_ALIAS, span_cover(inner->span, alias.span));
    e->name = alias;
    e->u.x.a = inner;
    deeper(e, inner);
    if (implicit)
        e->flags |= EF_IMPLICIT;
    return e;
}

Expr *ast_cast(Arena *a, Expr *inner, TypeExpr *type, Span span)
{
    Expr *e = ast_expr(a, EX_CAST, span);
    e->u.cast.a = inner;
    e->u.cast.type = type;
    deeper(e, inner);
    return e;
}

Expr *ast_parens(Expr *e)
{
    e->flags |= EF_PARENS;
    return e;
}

Expr *ast_dcolon(Arena *a, Expr *inner, TypeExpr *type, Span span)
{
    Expr *e = ast_cast(a, inner, type, span);
    e->flags |= EF_DCOLON;
    return e;
}

Expr *ast_subquery(Arena *a, ExprKind kind, Select *q, Span span)
{
    Expr *e = ast_expr(a, kind, span);
    e->u.sub.query = q;
    return e;
}

TypeExpr *ast_type(Arena *a, Name name, bool parens, TypeArgList args, Span span)
{
    TypeExpr *t = arena_zalloc(a, sizeof(*t));
    t->name = name;
    t->has_parens = parens;
    t->args = args;
    t->span = span;
    return t;
}

Select *ast_union(Select *head, int kind, Span op, Select *tail)
{
    if (!tail)
        return head; /* `(SELECT ...)` with no UNION after it */
    Select *last = head->last ? head->last : head;
    last->union_kind = (uint8_t)kind;
    last->op_span = op;
    last->next = tail;
    head->last = tail->last ? tail->last : tail;
    return head;
}

Select *ast_paren(Select *q)
{
    q->open++;
    (q->last ? q->last : q)->close++;
    return q;
}

FromItem *ast_from(Arena *a, FromItem fields)
{
    FromItem *f = arena_alloc(a, sizeof(*f));
    *f = fields;
    return f;
}

FromItem *ast_from_call(Arena *a, Expr *call)
{
    return ast_from(a, (FromItem){.kind = FROM_FUNCTION, .span = call->span, .func = call});
}

FromItem *ast_from_columns(FromItem *f, NameList columns)
{
    f->column_aliases = columns;
    return f;
}

FromItem *ast_from_named(FromItem *f, Name alias, bool final, Expr *sample, Expr *sample_offset)
{
    f->alias = alias;
    f->final = final;
    f->sample = sample;
    f->sample_offset = sample_offset;
    return f;
}

Select *ast_select(Arena *a, Select fields)
{
    Select *q = arena_alloc(a, sizeof(*q));
    *q = fields;
    return q;
}

NameList ast_names1(Arena *a, Name n)
{
    NameList l = {0};
    *LIST_PUSH(a, &l) = n;
    return l;
}

ExprList ast_exprs1(Arena *a, Expr *e)
{
    ExprList l = {0};
    *LIST_PUSH(a, &l) = e;
    return l;
}

Expr *ast_flag(Expr *e, int flags)
{
    e->flags |= (uint16_t)flags;
    return e;
}

Expr *ast_with_op(Expr *e, int op)
{
    e->op = (uint8_t)op;
    return e;
}

Expr *ast_with_name(Expr *e, Name name)
{
    e->name = name;
    return e;
}

Expr *ast_case(Arena *a, Expr *operand, ExprList arms, Expr *otherwise, Span span)
{
    Expr *e = ast_expr(a, EX_CASE, span);
    e->u.kase.operand = operand;
    e->u.kase.arms = arms;
    e->u.kase.otherwise = otherwise;
    return e;
}

Expr *ast_tuple_index(Arena *a, NameList path, Span index)
{
    Expr *c = ast_column(a, path, span_cover(path.v[0].span, path.v[path.n - 1].span));
    return ast_triple(a, EX_TUPLE_INDEX, c, ast_expr(a, EX_INTEGER, index), NULL, span_cover(c->span, index));
}

Expr *ast_parametric(Arena *a, Expr *call, ExprList params, int flags)
{
    ast_call_extra(a, call)->params = params;
    return ast_flag(call, flags | EF_PARAMETRIC);
}

Expr *ast_over_name(Arena *a, Expr *call, Name window, Span span)
{
    ast_call_extra(a, call)->window = window;
    call->span = span;
    return call;
}

Expr *ast_over(Arena *a, Expr *call, Window *w, Span span)
{
    ast_call_extra(a, call)->over = w;
    w->span = span;
    call->span = span;
    return call;
}

Window *ast_window(Arena *a, Window frame, Name base, ExprList partition, OrderList order)
{
    Window *w = arena_alloc(a, sizeof(*w));
    *w = frame;
    w->base = base;
    w->partition = partition;
    w->order = order;
    return w;
}

Window ast_frame_unit(Window w, int unit)
{
    w.frame_unit = (uint8_t)unit;
    return w;
}

Window ast_frame(Arena *a, FrameBound lo, FrameBound hi)
{
    Window w = {.lo = lo, .hi = hi};
    if (lo.expr)
        *LIST_PUSH(a, &w.frame) = lo.expr;
    if (hi.expr)
        *LIST_PUSH(a, &w.frame) = hi.expr;
    return w;
}

/* ---- Structural equality ---- */

static bool span_text_eq(const char *src, Span a, Span b)
{
    return a.len == b.len && memcmp(src + a.off, src + b.off, a.len) == 0;
}

static bool name_text_eq(Name a, Name b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

static bool list_equal(const ExprList *a, const ExprList *b, const char *src)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (!ast_equal(a->v[i], b->v[i], src))
            return false;
    return true;
}

static bool type_equal(const TypeExpr *a, const TypeExpr *b, const char *src)
{
    return a == b || (a && b && span_text_eq(src, a->span, b->span));
}

static bool call_equal(const Expr *a, const Expr *b, const char *src)
{
    const CallExtra *x = a->u.call.extra, *y = b->u.call.extra;
    if (!list_equal(&a->u.call.args, &b->u.call.args, src) || (!x) != (!y))
        return false;
    return !x || (list_equal(&x->params, &y->params, src) && !x->over && !y->over &&
                  name_text_eq(x->window, y->window));
}

/* Same tree, whatever the spacing, comments or keyword case: the test
 * ClickHouse applies to two expressions given the same alias. Subqueries
 * and window specifications compare unequal unless they are the same node. */
bool ast_equal(const Expr *a, const Expr *b, const char *src)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || a->op != b->op || (a->flags & ~(EF_IMPLICIT | EF_PARENS)) != (b->flags & ~(EF_IMPLICIT | EF_PARENS)))
        return false;
    switch ((ExprKind)a->kind) {
    case EX_INTEGER: case EX_FLOAT: case EX_STRING:
        return span_text_eq(src, a->span, b->span);
    case EX_NULL: case EX_BOOL:
        return true;
    case EX_COLUMN: case EX_STAR: {
        const NameList *x = &a->u.path.parts, *y = &b->u.path.parts;
        if (x->n != y->n)
            return false;
        for (int i = 0; i < x->n; i++)
            if (!name_text_eq(x->v[i], y->v[i]))
                return false;
        return a->kind == EX_COLUMN || a->u.path.except.n == 0;
    }
    case EX_CALL:
        return name_text_eq(a->name, b->name) && call_equal(a, b, src);
    case EX_CASE:
        return ast_equal(a->u.kase.operand, b->u.kase.operand, src) &&
               ast_equal(a->u.kase.otherwise, b->u.kase.otherwise, src) &&
               list_equal(&a->u.kase.arms, &b->u.kase.arms, src);
    case EX_CAST:
        return ast_equal(a->u.cast.a, b->u.cast.a, src) && type_equal(a->u.cast.type, b->u.cast.type, src);
    case EX_ARRAY: case EX_TUPLE: case EX_MAP:
        return list_equal(&a->u.list.items, &b->u.list.items, src);
    case EX_SUBQUERY: case EX_EXISTS:
        return false;
    default:
        return name_text_eq(a->name, b->name) && ast_equal(a->u.x.a, b->u.x.a, src) &&
               ast_equal(a->u.x.b, b->u.x.b, src) && ast_equal(a->u.x.c, b->u.x.c, src);
    }
}

bool name_is(Name a, const char *s)
{
    return a.len == strlen(s) && memcmp(a.s, s, a.len) == 0;
}

const char *name_cstr(Arena *a, Name n)
{
    return arena_strndup(a, n.s, n.len);
}

ExprList ast_append2(Arena *a, ExprList l, Expr *x, Expr *y)
{
    *LIST_PUSH(a, &l) = x;
    *LIST_PUSH(a, &l) = y;
    return l;
}
