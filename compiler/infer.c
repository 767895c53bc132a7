/* Type inference for SELECT outputs, judged against ClickHouse itself by
 * tests/types (every rule here was checked with toTypeName on chDB 26.5).
 * This is the first layer: literals, columns, casts, operators with
 * ClickHouse's promotion rules, and the common aggregates with their
 * combinators. Anything else is NULL ("Unknown"): inference that cannot be
 * sure says so instead of guessing. Function signatures from the standard
 * library are the next layer (docs/stdlib.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "infer.h"

typedef struct Infer {
    Project *p;
    const Scope *sc;
    const char *src;
    Name expanding[8]; /* aliases whose expression is being inferred */
    int nexpanding;
} Infer;

static const Type *infer(Infer *in, const Expr *e);

static TypeTable *tt(Infer *in)
{
    return &in->p->types;
}

static const Type *simple(Infer *in, TypeKind k)
{
    return type_simple(tt(in), k);
}

/* ---- Literals ---- */

static bool literal_value(Infer *in, const Expr *e, unsigned long long *v)
{
    char buf[64];
    size_t k = 0;
    for (uint32_t i = 0; i < e->span.len && k + 1 < sizeof buf; i++)
        if (in->src[e->span.off + i] != '_')
            buf[k++] = in->src[e->span.off + i];
    buf[k] = 0;
    errno = 0;
    char *end;
    int base = (k > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B')) ? 2 : 0;
    *v = strtoull(base == 2 ? buf + 2 : buf, &end, base);
    return !errno && !*end;
}

/* ClickHouse gives a literal the smallest type that holds it. */
static const Type *integer_literal(Infer *in, const Expr *e, bool negative)
{
    unsigned long long v;
    if (!literal_value(in, e, &v))
        return NULL;
    if (negative) {
        TypeKind k = v <= 128ull ? TY_INT8 : v <= 32768ull ? TY_INT16 : v <= 2147483648ull ? TY_INT32
                   : v <= 9223372036854775808ull ? TY_INT64 : TY_COUNT;
        return k == TY_COUNT ? NULL : simple(in, k);
    }
    TypeKind k = v <= 0xFFull ? TY_UINT8 : v <= 0xFFFFull ? TY_UINT16 : v <= 0xFFFFFFFFull ? TY_UINT32 : TY_UINT64;
    return simple(in, k);
}

/* ---- Nullable and LowCardinality around a result ---- */

typedef struct Wrap {
    bool nullable;
    bool lowcard;
} Wrap;

static const Type *unwrap(const Type *t, Wrap *w)
{
    if (t->kind == TY_LOWCARDINALITY) {
        w->lowcard = true;
        t = t->elems[0];
    }
    if (t->kind == TY_NULLABLE) {
        w->nullable = true;
        t = t->elems[0];
    }
    return t;
}

static const Type *rewrap(Infer *in, const Type *t, Wrap w)
{
    if (w.nullable)
        t = type_wrap(tt(in), TY_NULLABLE, t);
    if (w.lowcard)
        t = type_wrap(tt(in), TY_LOWCARDINALITY, t);
    return t;
}

/* ---- Arithmetic ---- */

static int int_bits(TypeKind k)
{
    switch (k) {
    case TY_UINT8: case TY_INT8: case TY_BOOL: return 8;
    case TY_UINT16: case TY_INT16: return 16;
    case TY_UINT32: case TY_INT32: return 32;
    case TY_UINT64: case TY_INT64: return 64;
    default: return 0;
    }
}

static TypeKind int_kind(int bits, bool is_signed)
{
    switch (bits) {
    case 8: return is_signed ? TY_INT8 : TY_UINT8;
    case 16: return is_signed ? TY_INT16 : TY_UINT16;
    case 32: return is_signed ? TY_INT32 : TY_UINT32;
    default: return is_signed ? TY_INT64 : TY_UINT64;
    }
}

/* plus, minus, multiply: the next wider integer (up to 64 bits), signed
 * when either side is or for minus; any float makes Float64; modulo keeps
 * the wider width. */
static const Type *integer_arith(Infer *in, int op, const Type *a, const Type *b)
{
    int bits = int_bits(a->kind) > int_bits(b->kind) ? int_bits(a->kind) : int_bits(b->kind);
    bool is_signed = !type_is_unsigned(a) || !type_is_unsigned(b) || op == OP_MINUS;
    if (op == OP_MOD)
        return simple(in, int_kind(bits, !type_is_unsigned(a) || !type_is_unsigned(b)));
    return simple(in, int_kind(bits < 64 ? bits * 2 : 64, is_signed));
}

static const Type *arith(Infer *in, int op, const Type *a, const Type *b)
{
    if (type_is_temporal(a) && type_is_integer(b) && (op == OP_PLUS || op == OP_MINUS))
        return a;
    if (op == OP_DIV && type_is_number(a) && type_is_number(b) && a->kind != TY_DECIMAL && b->kind != TY_DECIMAL)
        return simple(in, TY_FLOAT64);
    if (a->kind == TY_DECIMAL && a == b && (op == OP_PLUS || op == OP_MINUS))
        return a;
    if (type_is_float(a) || type_is_float(b))
        return (type_is_number(a) && type_is_number(b) && a->kind != TY_DECIMAL && b->kind != TY_DECIMAL)
                   ? simple(in, TY_FLOAT64) : NULL;
    if (type_is_integer(a) && type_is_integer(b) && int_bits(a->kind) && int_bits(b->kind))
        return integer_arith(in, op, a, b);
    return NULL;
}

static const Type *binary(Infer *in, const Expr *e)
{
    const Type *a = infer(in, e->u.x.a), *b = infer(in, e->u.x.b);
    if (!a || !b)
        return NULL;
    Wrap w = {0};
    const Type *ba = unwrap(a, &w), *bb = unwrap(b, &w);
    switch ((Op)e->op) {
    case OP_PLUS: case OP_MINUS: case OP_MUL: case OP_DIV: case OP_MOD: {
        const Type *r = arith(in, e->op, ba, bb);
        w.lowcard = false;
        return r ? rewrap(in, r, w) : NULL;
    }
    case OP_CONCAT:
        return rewrap(in, simple(in, TY_STRING), w);
    case OP_AND: case OP_OR:
        w.lowcard = false;
        return rewrap(in, simple(in, TY_UINT8), w);
    default: /* comparisons, LIKE, IN */
        return rewrap(in, simple(in, TY_UINT8), w);
    }
}

/* ---- Aggregates and combinators ---- */

static const Type *strip_lowcard(const Type *t)
{
    return t && t->kind == TY_LOWCARDINALITY ? t->elems[0] : t;
}

/* The result of the aggregate `base` over argument types. */
static const Type *aggregate_result(Infer *in, const char *base, const Type *const *args, int n)
{
    if (strcmp(base, "count") == 0 || strncmp(base, "uniq", 4) == 0)
        return simple(in, TY_UINT64);
    if (n < 1 || !args[0])
        return NULL;
    const Type *a = strip_lowcard(args[0]);
    if (strcmp(base, "avg") == 0)
        return type_is_number(a) && a->kind != TY_DECIMAL ? simple(in, TY_FLOAT64) : NULL;
    if (strcmp(base, "sum") == 0) {
        if (a->kind == TY_DECIMAL) {
            Type d = {.kind = TY_DECIMAL, .precision = a->precision > 38 ? 76 : 38, .scale = a->scale};
            return type_intern(tt(in), &d);
        }
        return type_is_float(a) ? simple(in, TY_FLOAT64) : type_is_unsigned(a) ? simple(in, TY_UINT64)
             : type_is_integer(a) ? simple(in, TY_INT64) : NULL;
    }
    if (!strcmp(base, "min") || !strcmp(base, "max") || !strcmp(base, "any") || !strcmp(base, "anyLast") ||
        !strcmp(base, "argMin") || !strcmp(base, "argMax"))
        return a;
    if (strcmp(base, "groupArray") == 0 || strcmp(base, "groupUniqArray") == 0)
        return type_wrap(tt(in), TY_ARRAY, a);
    return NULL;
}

typedef struct Combinators {
    char base[64];
    bool state, simple_state, or_null, if_;
    int state_at;       /* how much of the name the state's function keeps */
} Combinators;

/* Splits uniqStateIf into uniq + State + If, keeping the order: -If
 * before -State stays part of the state's function (uniqIfState). */
static bool split_combinators(const char *name, Combinators *c)
{
    static const char *const suffixes[] = {"SimpleState", "OrNull", "State", "If", NULL};
    size_t len = strlen(name);
    if (len >= sizeof c->base)
        return false;
    memcpy(c->base, name, len + 1);
    for (bool found = true; found;) {
        found = false;
        for (int i = 0; suffixes[i]; i++) {
            size_t k = strlen(suffixes[i]);
            if (len <= k || strcmp(c->base + len - k, suffixes[i]) != 0)
                continue;
            if (strcmp(suffixes[i], "State") == 0)
                c->state = true, c->state_at = (int)(len - k);
            else if (strcmp(suffixes[i], "SimpleState") == 0)
                c->simple_state = true, c->state_at = (int)(len - k);
            else if (strcmp(suffixes[i], "OrNull") == 0)
                c->or_null = true;
            else
                c->if_ = true;
            len -= k;
            c->base[len] = 0;
            found = true;
            break;
        }
    }
    return true;
}

static const char *params_text(Infer *in, const Expr *call, const char *fn)
{
    const CallExtra *x = call->u.call.extra;
    if (!x || !x->params.n)
        return fn;
    char *s = arena_printf(&in->p->arena, "%s(", fn);
    for (int i = 0; i < x->params.n; i++) {
        Span sp = x->params.v[i]->span;
        s = arena_printf(&in->p->arena, "%s%s%.*s", s, i ? ", " : "", (int)sp.len, in->src + sp.off);
    }
    return arena_printf(&in->p->arena, "%s)", s);
}

/* A call's name as a C string in name[64], split into its combinators. */
static bool read_call_name(const Expr *e, char name[64], Combinators *c)
{
    if (e->name.len >= 64)
        return false;
    memcpy(name, e->name.s, e->name.len);
    name[e->name.len] = 0;
    return split_combinators(name, c);
}

static const Type *aggregate_call(Infer *in, const Expr *e, Object *f)
{
    Combinators c = {0};
    char name[64];
    if (!read_call_name(e, name, &c) || strcasecmp(c.base, f->qname) != 0)
        return NULL; /* an alias or a combinator this layer does not know */
    int n = e->u.call.args.n;
    const Type **args = arena_alloc(&in->p->arena, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        args[i] = infer(in, e->u.call.args.v[i]);
    if (c.state || c.simple_state) {
        /* The state keeps the name up to -State: uniqIfState's function is
         * uniqIf and keeps the condition's argument; uniqStateIf's is uniq. */
        name[c.state_at] = 0;
        bool keeps_if = c.if_ && strlen(name) > strlen(c.base);
        int kept = n - (c.if_ && !keeps_if ? 1 : 0);
        const Type **elems = arena_alloc(&in->p->arena, sizeof(Type *) * (size_t)(kept + 1));
        for (int i = 0; i < kept; i++)
            if (!(elems[i] = strip_lowcard(args[i])))
                return NULL;
        if (c.simple_state) {
            const Type *r = aggregate_result(in, c.base, elems, kept);
            if (!r)
                return NULL;
            Type s = {.kind = TY_SIMPLE_AGGREGATE, .func = name, .elems = &r, .n = 1};
            return type_intern(tt(in), &s);
        }
        Type s = {.kind = TY_AGGREGATE, .func = params_text(in, e, name), .elems = elems, .n = kept};
        return type_intern(tt(in), &s);
    }
    const Type *r = aggregate_result(in, c.base, args, n - (c.if_ ? 1 : 0));
    if (r && c.or_null && r->kind != TY_NULLABLE)
        r = type_wrap(tt(in), TY_NULLABLE, r);
    return r;
}

static const Type *call(Infer *in, const Expr *e)
{
    if (e->u.call.extra && (e->u.call.extra->over || e->u.call.extra->window.s))
        return NULL; /* window functions: the next layer */
    Object *f = project_function(in->p, e->name);
    if (!f) {
        /* combinators: find the aggregate under the name */
        Combinators c = {0};
        char name[64];
        if (!read_call_name(e, name, &c))
            return NULL;
        f = project_function(in->p, (Name){c.base, (uint32_t)strlen(c.base), {0, 0}});
    }
    if (f && f->kind == OBJ_AGGREGATE)
        return aggregate_call(in, e, f);
    return NULL;
}

/* ---- Expressions ---- */

static const Type *list_supertype(Infer *in, const ExprList *l)
{
    const Type *t = NULL;
    for (int i = 0; i < l->n; i++) {
        const Type *x = infer(in, l->v[i]);
        if (!x || (t && x != t))
            return NULL; /* a common supertype of different types: the next layer */
        t = x;
    }
    return t;
}

/* Inside `sum(b) AS b` the b in sum(b) is the column: while an alias's
 * expression is inferred, its name means the column. */
static const Type *alias(Infer *in, const Expr *e)
{
    if (in->nexpanding == (int)(sizeof in->expanding / sizeof in->expanding[0]))
        return NULL;
    in->expanding[in->nexpanding++] = e->name;
    const Type *t = infer(in, e->u.x.a);
    in->nexpanding--;
    return t;
}

/* A name is an alias of the query (aliases win over columns), else a
 * column of its sources. */
static const Type *column(Infer *in, const Expr *e)
{
    const NameList *parts = &e->u.path.parts;
    if (parts->n != 1)
        return scope_column_type(in->sc, parts);
    for (int i = 0; i < in->nexpanding; i++)
        if (name_eq(in->expanding[i], e->name))
            return scope_source_column_type(in->sc, parts);
    const AliasDef *a = scope_find_alias(in->sc, e->name);
    return a ? alias(in, a->expr) : scope_column_type(in->sc, parts);
}

static const Type *infer(Infer *in, const Expr *e)
{
    if (!e)
        return NULL;
    switch ((ExprKind)e->kind) {
    case EX_INTEGER: return integer_literal(in, e, false);
    case EX_FLOAT: return simple(in, TY_FLOAT64);
    case EX_STRING: return simple(in, TY_STRING);
    case EX_BOOL: return simple(in, TY_BOOL);
    case EX_NULL: return type_wrap(tt(in), TY_NULLABLE, simple(in, TY_NOTHING));
    case EX_ALIAS: return alias(in, e);
    case EX_COLUMN: return column(in, e);
    case EX_CAST: return e->u.cast.type->resolved;
    case EX_UNARY: {
        const Expr *a = e->u.x.a;
        if (e->op == OP_NEG && a->kind == EX_INTEGER)
            return integer_literal(in, a, true);
        const Type *t = infer(in, a);
        if (!t)
            return NULL;
        Wrap w = {0};
        const Type *b = unwrap(t, &w);
        if (e->op == OP_NOT)
            return rewrap(in, simple(in, TY_UINT8), w);
        if (type_is_float(b) || (type_is_integer(b) && !type_is_unsigned(b)))
            return t;
        if (type_is_unsigned(b) && int_bits(b->kind))
            return rewrap(in, simple(in, int_kind(int_bits(b->kind) < 64 ? int_bits(b->kind) * 2 : 64, true)), w);
        return NULL;
    }
    case EX_BINARY: return binary(in, e);
    case EX_BETWEEN: case EX_IS_NULL: {
        if (e->kind == EX_IS_NULL)
            return simple(in, TY_UINT8);
        const Type *t = infer(in, e->u.x.a);
        Wrap w = {0};
        if (t)
            unwrap(t, &w);
        return t ? rewrap(in, simple(in, TY_UINT8), w) : NULL;
    }
    case EX_ARRAY: {
        const Type *t = list_supertype(in, &e->u.list.items);
        return t ? type_wrap(tt(in), TY_ARRAY, t) : NULL;
    }
    case EX_TUPLE: {
        int n = e->u.list.items.n;
        const Type **elems = arena_alloc(&in->p->arena, sizeof(Type *) * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            if (!(elems[i] = infer(in, e->u.list.items.v[i])))
                return NULL;
        Type t = {.kind = TY_TUPLE, .elems = elems, .n = n};
        return n ? type_intern(tt(in), &t) : NULL;
    }
    case EX_CALL: return call(in, e);
    default: return NULL;
    }
}

const Type *infer_type(Project *p, const Scope *sc, const Expr *e, const char *src)
{
    Infer in = {.p = p, .sc = sc, .src = src};
    return infer(&in, e);
}
