/* Type inference for expressions, judged against ClickHouse itself by
 * tests/types (toTypeName on chDB 26.5 and on an 18.16 server).
 *
 * Literals get the smallest type that holds them; columns the type their
 * source declares (an alias stands for its expression, a lambda parameter
 * for the element it runs over); operators are the functions ClickHouse
 * rewrites them to (a + b is plus(a, b)); calls are typed by the standard
 * library's signatures (signature.c) and aggregates by their base
 * signature and generic combinator rules (aggregate.c). Anything else is
 * NULL ("Unknown"): inference that cannot be sure says so instead of
 * guessing. Temporary space comes from the project's scratch arena and is
 * given back before infer_type returns; only interned types remain. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "typing/aggregate.h"
#include "check/infer.h"
#include "typing/param_text.h"
#include "check/passes.h"
#include "syntax/walk.h"
#include "typing/promote.h"
#include "typing/signature.h"
#include "typing/typesyntax.h"

typedef struct Val {
    const Type *t;
    bool is_const;
} Val;

typedef struct Binding {
    Name name;
    const Type *type;
} Binding;

enum { MAX_BINDINGS = 32, MAX_ALIASES = 16, MAX_DEPTH = 64, MAX_UDF_DEPTH = 8 };

typedef struct Infer {
    Project *p;
    const Scope *sc;
    const char *src;
    Binding lambda[MAX_BINDINGS];  /* lambda parameters in reach, innermost last */
    int nlambda;
    const Expr *expanding[MAX_ALIASES]; /* aliases being expanded: `f(x) AS x` */
    int nexpanding;
    const Expr *origin;  /* infer_call: the call checked, inside whatever alias holds it */
    int depth;
    int nudf;            /* untyped UDF bodies being inferred (one may call another) */
    /* infer_never_null: the columns the enclosing if() conditions prove
     * are not NULL, and source columns marked never_null (Kafka's
     * _timestamp), typed without Nullable (flow is false elsewhere). */
    bool flow;
    const Expr *known[INFER_MAX_KNOWN];
    int nknown;
} Infer;

static Val infer(Infer *in, const Expr *e);

static TypeTable *tt(Infer *in)
{
    return &in->p->types;
}

static const Type *simple(Infer *in, TypeKind k)
{
    return type_simple(tt(in), k);
}

static Val unknown(void)
{
    return (Val){NULL, false};
}

static Val constant(const Type *t)
{
    return (Val){t, true};
}

/* ---- Literals ---- */

static bool literal_value(Infer *in, const Expr *e, unsigned long long *v)
{
    char buf[80];
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

/* ---- Columns ---- */

static const Type *lambda_param(Infer *in, Name n)
{
    for (int i = in->nlambda - 1; i >= 0; i--)
        if (name_eq(in->lambda[i].name, n))
            return in->lambda[i].type;
    return NULL;
}

static bool is_lambda_param(Infer *in, Name n)
{
    for (int i = in->nlambda - 1; i >= 0; i--)
        if (name_eq(in->lambda[i].name, n))
            return true;
    return false;
}

static bool expanding(Infer *in, const Expr *e)
{
    for (int i = 0; i < in->nexpanding; i++)
        if (in->expanding[i] == e)
            return true;
    return false;
}

/* Whether x is e or inside it (subqueries aside). */
static WalkResult find_expr(Walker *w, Expr *e)
{
    return e == w->ctx ? WALK_ABORT : WALK_CONTINUE;
}

static bool contains(const Expr *e, const Expr *x)
{
    Walker w = {.expr = find_expr, .ctx = (void *)x};
    return walk_expr(&w, (Expr *)e) == WALK_ABORT; /* find_expr changes nothing */
}

/* j.a.b of a JSON column j (or t.j.a.b): a typed path's declared type
 * (chDB 26.5). Any other path is Dynamic, left unknown. */
static const Type *json_path(Infer *in, const NameList *parts)
{
    for (int head = 1; head <= 2 && head < parts->n; head++) {
        NameList col = {(Name *)parts->v, head, head};
        const Type *t = scope_column_type(in->sc, &col);
        if (!t || t->kind != TY_JSON)
            continue;
        char path[512];
        size_t len = 0;
        for (int i = head; i < parts->n; i++) {
            Name n = parts->v[i];
            if (len + n.len + 2 > sizeof path)
                return NULL;
            if (i > head)
                path[len++] = '.';
            memcpy(path + len, n.s, n.len);
            len += n.len;
        }
        path[len] = 0;
        for (int i = 0; i < t->n; i++)
            if (t->names && strcmp(t->names[i], path) == 0)
                return t->elems[i];
        return NULL; /* Dynamic to ClickHouse: what each call makes of it is not known here */
    }
    return NULL;
}

/* tup.a: a named tuple's element; n.a: a Nested field's column. */
static const Type *subcolumn(Infer *in, const NameList *parts)
{
    const Type *j = parts->n >= 2 ? json_path(in, parts) : NULL;
    if (j)
        return j;
    const OutColumn *field = parts->n >= 2 ? scope_dotted_column(in->sc, parts) : NULL;
    if (field)
        return field->type;
    NameList first = {(Name *)parts->v, 1, 1};
    const Type *t = parts->n == 2 ? scope_column_type(in->sc, &first) : NULL;
    if (!t || t->kind != TY_TUPLE || !t->names)
        return NULL;
    for (int i = 0; i < t->n; i++)
        if (name_is(parts->v[1], t->names[i]))
            return t->elems[i];
    return NULL;
}

static bool is_known_not_null(Infer *in, const Expr *e)
{
    for (int i = 0; i < in->nknown; i++)
        if (ast_same_column(e, in->known[i]))
            return true;
    return false;
}

/* The type of a value that is not NULL: Nullable(T) is T, and
 * LowCardinality(Nullable(T)) LowCardinality(T). */
static const Type *without_nullable(Infer *in, const Type *t)
{
    if (t->kind == TY_NULLABLE)
        return t->elems[0];
    if (t->kind == TY_LOWCARDINALITY && t->elems[0]->kind == TY_NULLABLE)
        return type_wrap(tt(in), TY_LOWCARDINALITY, t->elems[0]->elems[0]);
    return t;
}

/* A source column's type; under infer_never_null without Nullable where
 * no NULL can come (never_null, or an enclosing if() tested it). */
static const Type *source_type(Infer *in, const Expr *e, const OutColumn *c)
{
    const Type *t = c ? c->type : NULL;
    if (t && in->flow && (c->never_null || is_known_not_null(in, e)))
        t = without_nullable(in, t);
    return t;
}

static Val column(Infer *in, const Expr *e)
{
    const NameList *parts = &e->u.path.parts;
    if (parts->n == 1) {
        Name n = parts->v[0];
        if (is_lambda_param(in, n))
            return (Val){lambda_param(in, n), false};
        const AliasDef *a = scope_find_alias(in->sc, n);
        if (a) {
            const Expr *def = a->expr->kind == EX_ALIAS ? a->expr->u.x.a : a->expr;
            if (expanding(in, def) || in->nexpanding >= MAX_ALIASES || (in->origin && contains(def, in->origin)))
                return (Val){source_type(in, e, scope_source_column(in->sc, parts)), false};
            in->expanding[in->nexpanding++] = def;
            Val v = infer(in, def);
            in->nexpanding--;
            /* if(x IS NOT NULL, [x], []) with x an alias (WITH f(p) AS x):
             * the row's one value of x, tested in the condition. */
            if (v.t && in->flow && is_known_not_null(in, e))
                v.t = without_nullable(in, v.t);
            return v;
        }
    }
    const Type *t = source_type(in, e, scope_column(in->sc, parts));
    return (Val){t ? t : subcolumn(in, parts), false};
}

/* ---- Calls ---- */

/* Lambdas are typed where they are called: arrayMap(x -> x * 2, arr)
 * binds x to arr's element type while the body is inferred. */
static const Type *type_lambda(void *ctx, const Expr *lambda, const Type *const *params, int n)
{
    Infer *in = ctx;
    const Expr *head = lambda->u.x.a;
    const ExprList *names = head->kind == EX_TUPLE ? &head->u.list.items : NULL;
    int count = names ? names->n : 1;
    if (count != n || in->nlambda + n > MAX_BINDINGS)
        return NULL;
    int saved = in->nlambda;
    for (int i = 0; i < n; i++) {
        const Expr *p = names ? names->v[i] : head;
        if (p->kind != EX_COLUMN || p->u.path.parts.n != 1) {
            in->nlambda = saved;
            return NULL;
        }
        in->lambda[in->nlambda++] = (Binding){p->u.path.parts.v[0], params[i]};
    }
    const Type *t = infer(in, lambda->u.x.b).t;
    in->nlambda = saved;
    return t;
}

static SigArg *infer_args(Infer *in, const ExprList *l, bool *all_const)
{
    SigArg *args = arena_alloc(&in->p->scratch, sizeof(SigArg) * (size_t)(l->n + 1));
    *all_const = true;
    for (int i = 0; i < l->n; i++) {
        const Expr *x = l->v[i];
        Val v = x->kind == EX_LAMBDA ? unknown() : infer(in, x);
        /* A SimpleAggregateFunction(f, T) column holds plain T values. */
        if (v.t && v.t->kind == TY_SIMPLE_AGGREGATE)
            v.t = v.t->elems[0];
        args[i] = (SigArg){v.t, x, v.is_const};
        *all_const &= v.is_const;
    }
    return args;
}

int infer_not_null_columns(const Expr *cond, const Expr **known, int n)
{
    if (!cond || n >= INFER_MAX_KNOWN)
        return n;
    if (cond->kind == EX_BINARY && cond->op == OP_AND)
        return infer_not_null_columns(cond->u.x.b, known, infer_not_null_columns(cond->u.x.a, known, n));
    const Expr *x = ast_not_null_operand(cond);
    if (x && x->kind == EX_COLUMN)
        known[n++] = x;
    return n;
}

/* if(c, a, b) under infer_never_null: a is typed knowing what c proves. */
static SigArg *if_args(Infer *in, const Expr *const *abc, bool *all_const)
{
    SigArg *args = arena_alloc(&in->p->scratch, sizeof(SigArg) * 3);
    *all_const = true;
    for (int i = 0; i < 3; i++) {
        int saved = in->nknown;
        if (i == 1)
            in->nknown = infer_not_null_columns(abc[0], in->known, in->nknown);
        ExprList one = {(Expr **)&abc[i], 1, 1};
        bool c = true;
        args[i] = infer_args(in, &one, &c)[0];
        *all_const &= c;
        in->nknown = saved;
    }
    return args;
}

static SigCall make_call(Infer *in, const SigArg *args, int n)
{
    return (SigCall){.p = in->p, .src = in->src, .args = args, .n = n, .lambda = type_lambda, .ctx = in};
}

/* A call of a plain function by its name, with already inferred arguments. */
static Val call_named(Infer *in, const char *name, const SigArg *args, int n, bool all_const)
{
    Object *f = project_function(in->p, (Name){.s = name, .len = (uint32_t)strlen(name)});
    const SigSet *set = f && f->kind == OBJ_FUNCTION ? signatures_of(in->p, f) : NULL;
    if (!set)
        return unknown();
    SigCall c = make_call(in, args, n);
    return (Val){signature_call(set, &c), all_const && n > 0};
}

static Val call_of(Infer *in, const char *name, const Expr *const *exprs, int n)
{
    ExprList l = {(Expr **)exprs, n, n};
    bool all_const;
    SigArg *args = infer_args(in, &l, &all_const);
    return call_named(in, name, args, n, all_const);
}

/* How ClickHouse prints an aggregate's parameters inside its state type:
 * quantilesState(0.50, 0.9) is AggregateFunction(quantiles(0.5, 0.9), ...). */
static const char *params_text(Infer *in, const Expr *call)
{
    const CallExtra *x = call->u.call.extra;
    if (!x || !(call->flags & EF_PARAMETRIC))
        return "";
    char *s = arena_printf(&in->p->scratch, "(");
    for (int i = 0; i < x->params.n; i++) {
        const Expr *e = x->params.v[i];
        const char *text = arena_strndup(&in->p->scratch, in->src + e->span.off, e->span.len);
        if (e->kind == EX_FLOAT || e->kind == EX_INTEGER) {
            text = param_text(&in->p->scratch, in->src + e->span.off, e->span.len); /* as a column type spells it */
        } else if (e->kind != EX_STRING && !(e->kind == EX_UNARY && e->op == OP_NEG)) {
            return NULL; /* an expression as a parameter: not printed the way the source has it */
        }
        s = arena_printf(&in->p->scratch, "%s%s%s", s, i ? ", " : "", text);
    }
    return arena_printf(&in->p->scratch, "%s)", s);
}

static Val aggregate_call(Infer *in, const Expr *e, SigArg *args, int n)
{
    const char *name = arena_strndup(&in->p->scratch, e->name.s, e->name.len);
    const char *params = params_text(in, e);
    SigCall c = make_call(in, args, n);
    const CallExtra *x = e->u.call.extra;
    bool all_const;
    if (e->flags & EF_PARAMETRIC) {
        ExprList empty = {0};
        c.levels = infer_args(in, x ? &x->params : &empty, &all_const);
        c.nlevels = x ? x->params.n : 0;
        c.has_levels = true;
    }
    if (!params)
        return unknown();
    return (Val){aggregate_type(&c, name, params, NULL), false};
}

/* finalizeAggregation(state): what the state's function returns, as its
 * -Merge would (finalizeAggregation(uniqState(x)) is UInt64). */
static Val finalize(Infer *in, SigArg *args)
{
    const Type *s = args[0].type;
    if (!s || s->kind != TY_AGGREGATE)
        return unknown();
    const char *f = type_state_function(s);
    size_t len = strcspn(f, "(");
    const char *name = arena_printf(&in->p->scratch, "%.*sMerge", (int)len, f);
    SigCall c = make_call(in, args, 1);
    return (Val){aggregate_type(&c, name, f + len, NULL), false};
}

/* A call of an untyped UDF: its body, with each parameter standing for
 * the call's argument (its type). */
static Val untyped_udf(Infer *in, const Decl *d, const SigArg *args, int n)
{
    if (n != d->params.n || in->nlambda + n > MAX_BINDINGS || in->nudf >= MAX_UDF_DEPTH)
        return unknown();
    int base = in->nlambda;
    for (int i = 0; i < n; i++)
        in->lambda[in->nlambda++] = (Binding){d->params.v[i].name, args[i].type};
    const char *src = in->src; /* literals are read from the body's own file */
    in->src = d->file->text;
    in->nudf++;
    Val v = infer(in, d->body);
    in->nudf--;
    in->src = src;
    in->nlambda = base;
    return (Val){v.t, false};
}

/* dictGet('db.d', 'attr', key) is the attribute's type (dictGetOrNull
 * Nullable of it, dictGetAll an Array of it), dictHas UInt8: what
 * toTypeName says on chDB 26.5. Other members, a name that is not a
 * literal, or a dictionary the project does not declare: unknown. */
static Val dictionary_call(Infer *in, const Expr *e)
{
    if (name_is(e->name, "dictHas"))
        return (Val){simple(in, TY_UINT8), false};
    DictRef ref = dictionary_ref(in->p, e, in->src);
    if (!ref.object || ref.object->kind != OBJ_DICTIONARY)
        return unknown();
    Name attr = dictionary_attribute_name(in->p, e, in->src);
    const OutColumn *c = attr.len ? dictionary_attribute(ref.object, attr) : NULL;
    if (!c || !c->type || dictionary_is_key(ref.object, attr))
        return unknown();
    if (name_is(e->name, "dictGet") || name_is(e->name, "dictGetOrDefault"))
        return (Val){c->type, false};
    if (name_is(e->name, "dictGetOrNull"))
        return (Val){promote_make_nullable(in->p, c->type), false};
    if (name_is(e->name, "dictGetAll"))
        return (Val){type_wrap(tt(in), TY_ARRAY, c->type), false};
    return unknown();
}

static Val call(Infer *in, const Expr *e)
{
    if (dictionary_is_lookup(e) && project_function(in->p, e->name))
        return dictionary_call(in, e);
    if (name_is(e->name, "finalizeAggregation") && e->u.call.args.n == 1 && !(e->flags & EF_PARAMETRIC)) {
        bool all_const;
        return finalize(in, infer_args(in, &e->u.call.args, &all_const));
    }
    if (e->flags & (EF_RESPECT_NULLS | EF_IGNORE_NULLS))
        return unknown(); /* any_respect_nulls and its siblings: not in the library */
    Object *f = project_function(in->p, e->name);
    size_t base_len;
    if (!f)
        f = aggregate_base(in->p, e->name.s, e->name.len, &base_len);
    if (!f)
        return unknown();
    bool all_const;
    int n = e->u.call.args.n;
    SigArg *args = in->flow && n == 3 && name_is(e->name, "if") && !(e->flags & EF_PARAMETRIC)
                       ? if_args(in, (const Expr *const *)e->u.call.args.v, &all_const)
                       : infer_args(in, &e->u.call.args, &all_const);
    if (f->kind == OBJ_FUNCTION && !f->decl->ret && f->decl->body)
        return untyped_udf(in, f->decl, args, n);
    if (f->kind == OBJ_AGGREGATE)
        return aggregate_call(in, e, args, n);
    if (e->flags & EF_PARAMETRIC)
        return unknown();
    SigCall c = make_call(in, args, n);
    const Type *t = signature_call(signatures_of(in->p, f), &c);
    return (Val){t, all_const && n > 0 && t};
}

/* ---- Operators ---- */

static const char *binary_function(Op op)
{
    switch (op) {
    case OP_PLUS: return "plus";
    case OP_MINUS: return "minus";
    case OP_MUL: return "multiply";
    case OP_DIV: return "divide";
    case OP_MOD: return "modulo";
    case OP_INTDIV: return "intDiv";
    case OP_CONCAT: return "concat";
    case OP_EQ: return "equals";
    case OP_NE: return "notEquals";
    case OP_LT: return "less";
    case OP_GT: return "greater";
    case OP_LE: return "lessOrEquals";
    case OP_GE: return "greaterOrEquals";
    case OP_AND: return "and";
    case OP_OR: return "or";
    case OP_LIKE: return "like";
    case OP_NOT_LIKE: return "notLike";
    case OP_ILIKE: return "ilike";
    case OP_NOT_ILIKE: return "notILike";
    case OP_IN: return "in";
    case OP_NOT_IN: return "notIn";
    case OP_GLOBAL_IN: return "globalIn";
    case OP_GLOBAL_NOT_IN: return "globalNotIn";
    case OP_NULL_SAFE_EQ: case OP_IS_NOT_DISTINCT: return "isNotDistinctFrom";
    case OP_IS_DISTINCT: return "isDistinctFrom";
    default: return NULL;
    }
}

/* a BETWEEN b AND c is a >= b AND a <= c. */
static Val between(Infer *in, const Expr *e)
{
    bool negated = e->flags & EF_NOT;
    const Expr *lo[2] = {e->u.x.a, e->u.x.b}, *hi[2] = {e->u.x.a, e->u.x.c};
    Val a = call_of(in, negated ? "less" : "greaterOrEquals", lo, 2);
    Val b = call_of(in, negated ? "greater" : "lessOrEquals", hi, 2);
    SigArg both[2] = {{a.t, NULL, a.is_const}, {b.t, NULL, b.is_const}};
    return call_named(in, negated ? "or" : "and", both, 2, a.is_const && b.is_const);
}

/* CASE: multiIf's result, the supertype of the branches; without ELSE,
 * the missing branch is NULL. */
static Val case_expr(Infer *in, const Expr *e)
{
    const ExprList *arms = &e->u.kase.arms;
    int n = arms->n / 2 + 1;
    const Type **types = arena_alloc(&in->p->scratch, sizeof(Type *) * (size_t)n);
    for (int i = 1; i < arms->n; i += 2)
        if (!(types[i / 2] = infer(in, arms->v[i]).t))
            return unknown();
    types[n - 1] = e->u.kase.otherwise ? infer(in, e->u.kase.otherwise).t
                                       : type_wrap(tt(in), TY_NULLABLE, simple(in, TY_NOTHING));
    return (Val){types[n - 1] ? promote_supertype(in->p, types, n) : NULL, false};
}

static Val interval(Infer *in, const Expr *e)
{
    static const char *const units[] = {"Nanosecond", "Microsecond", "Millisecond", "Second", "Minute", "Hour",
                                        "Day", "Week", "Month", "Quarter", "Year", NULL};
    Name u = e->name;
    for (int i = 0; units[i] && u.len; i++) {
        size_t k = strlen(units[i]);
        /* HOUR, hour, HOURS */
        if ((u.len == k || (u.len == k + 1 && (u.s[k] == 's' || u.s[k] == 'S'))) && strncasecmp(u.s, units[i], k) == 0) {
            Type t = {.kind = TY_INTERVAL, .func = units[i]};
            return (Val){type_intern(tt(in), &t), infer(in, e->u.x.a).is_const};
        }
    }
    return unknown();
}

/* EXTRACT(unit FROM x) is the toUnit function of x. */
static Val extract(Infer *in, const Expr *e)
{
    static const char *const units[][2] = {
        {"YEAR", "toYear"}, {"QUARTER", "toQuarter"}, {"MONTH", "toMonth"}, {"WEEK", "toISOWeek"},
        {"DAY", "toDayOfMonth"}, {"HOUR", "toHour"}, {"MINUTE", "toMinute"}, {"SECOND", "toSecond"},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (e->name.len == strlen(units[i][0]) && strncasecmp(e->name.s, units[i][0], e->name.len) == 0)
            return call_of(in, units[i][1], (const Expr *const *)&e->u.x.a, 1);
    return unknown();
}

static Val unary(Infer *in, const Expr *e)
{
    const Expr *a = e->u.x.a;
    if (e->op == OP_NEG && a->kind == EX_INTEGER)
        return constant(integer_literal(in, a, true));
    if (e->op == OP_NEG && a->kind == EX_FLOAT)
        return constant(simple(in, TY_FLOAT64));
    return call_of(in, e->op == OP_NEG ? "negate" : "not", &a, 1);
}

static Val list(Infer *in, const Expr *e)
{
    const ExprList *items = &e->u.list.items;
    int n = items->n;
    const Type **types = arena_alloc(&in->p->scratch, sizeof(Type *) * (size_t)(n + 1));
    bool all_const = true;
    for (int i = 0; i < n; i++) {
        Val v = infer(in, items->v[i]);
        if (!(types[i] = v.t))
            return unknown();
        all_const &= v.is_const;
    }
    if (e->kind == EX_TUPLE) {
        Type t = {.kind = TY_TUPLE, .elems = types, .n = n};
        return n ? (Val){type_intern(tt(in), &t), all_const} : unknown();
    }
    const Type *elem = n ? promote_supertype(in->p, types, n) : simple(in, TY_NOTHING);
    return elem ? (Val){type_wrap(tt(in), TY_ARRAY, elem), all_const} : unknown();
}

static Val cast(Infer *in, const Expr *e)
{
    const TypeExpr *t = e->u.cast.type;
    Val a = infer(in, e->u.cast.a);
    /* The resolver reads the type (with its diagnostics) after the calls
     * around it are checked: read it quietly when it has not yet. */
    SourceFile file = {.path = "", .text = in->src};
    const Type *r = t->resolved ? t->resolved : typesyntax_read_quiet(in->p, &file, t);
    return (Val){r, a.is_const};
}

/* `f(x) AS x`: inside its own definition, x is the source column. */
static Val alias(Infer *in, const Expr *e)
{
    if (in->nexpanding >= MAX_ALIASES || expanding(in, e->u.x.a))
        return infer(in, e->u.x.a);
    in->expanding[in->nexpanding++] = e->u.x.a;
    Val v = infer(in, e->u.x.a);
    in->nexpanding--;
    return v;
}

static Val infer_kind(Infer *in, const Expr *e)
{
    switch ((ExprKind)e->kind) {
    case EX_INTEGER: return constant(integer_literal(in, e, false));
    case EX_FLOAT: return constant(simple(in, TY_FLOAT64));
    case EX_STRING: return constant(simple(in, TY_STRING));
    case EX_BOOL: return constant(simple(in, TY_BOOL));
    case EX_NULL: return constant(type_wrap(tt(in), TY_NULLABLE, simple(in, TY_NOTHING)));
    case EX_ALIAS: return alias(in, e);
    case EX_COLUMN: return column(in, e);
    case EX_CAST: return cast(in, e);
    case EX_UNARY: return unary(in, e);
    case EX_BINARY: {
        const Expr *ab[2] = {e->u.x.a, e->u.x.b};
        const char *f = binary_function((Op)e->op);
        return f ? call_of(in, f, ab, 2) : unknown();
    }
    case EX_BETWEEN: return between(in, e);
    case EX_IS_NULL: return call_of(in, e->flags & EF_NOT ? "isNotNull" : "isNull", (const Expr *const *)&e->u.x.a, 1);
    case EX_TERNARY: {
        const Expr *abc[3] = {e->u.x.a, e->u.x.b, e->u.x.c};
        if (in->flow) {
            bool all_const;
            SigArg *args = if_args(in, abc, &all_const);
            return call_named(in, "if", args, 3, all_const);
        }
        return call_of(in, "if", abc, 3);
    }
    case EX_CASE: return case_expr(in, e);
    case EX_INTERVAL: return interval(in, e);
    case EX_EXTRACT: return extract(in, e);
    case EX_TRIM: {
        static const char *const sides[] = {"trimBoth", "trimLeft", "trimRight"};
        const Expr *ab[2] = {e->u.x.a, e->u.x.b};
        return call_of(in, sides[e->op < 3 ? e->op : 0], ab, 2);
    }
    case EX_ARRAY: case EX_TUPLE: return list(in, e);
    case EX_SUBSCRIPT: {
        const Expr *ab[2] = {e->u.x.a, e->u.x.b};
        return call_of(in, "arrayElement", ab, 2);
    }
    case EX_TUPLE_INDEX: {
        if (e->u.x.b->kind != EX_INTEGER)
            return unknown(); /* f(x).name, t.-1 */
        const Expr *ab[2] = {e->u.x.a, e->u.x.b};
        return call_of(in, "tupleElement", ab, 2);
    }
    case EX_EXISTS: return (Val){simple(in, TY_UINT8), false};
    case EX_CALL: return call(in, e);
    default: return unknown();
    }
}

static Val infer(Infer *in, const Expr *e)
{
    if (!e || in->depth > MAX_DEPTH)
        return unknown();
    in->depth++;
    Val v = infer_kind(in, e);
    in->depth--;
    return v;
}

/* The bindings' arrays are filled as they are used: zeroing them on every
 * call would cost more than a typical inference does. */
static void infer_start(Infer *in, Project *p, const Scope *sc, const char *src, const Expr *origin)
{
    in->p = p;
    in->sc = sc;
    in->src = src;
    in->nlambda = 0;
    in->nexpanding = 0;
    in->origin = origin;
    in->depth = 0;
    in->nudf = 0;
    in->flow = false;
    in->nknown = 0;
}

const Type *infer_type(Project *p, const Scope *sc, const Expr *e, const char *src)
{
    Infer in;
    infer_start(&in, p, sc, src, NULL);
    ArenaMark mark = arena_mark(&p->scratch);
    const Type *t = infer(&in, e).t;
    arena_release(&p->scratch, mark);
    return t;
}

bool infer_never_null(Project *p, const Scope *sc, const Expr *e, const char *src)
{
    Infer in;
    infer_start(&in, p, sc, src, NULL);
    in.flow = true;
    ArenaMark mark = arena_mark(&p->scratch);
    const Type *t = infer(&in, e).t;
    arena_release(&p->scratch, mark);
    return t && type_strip_nullable(&p->types, t) == t;
}

void infer_call(Project *p, const Scope *sc, const Expr *call, const char *src, SigCall *c)
{
    Infer *in = arena_alloc(&p->scratch, sizeof(*in));
    infer_start(in, p, sc, src, call);
    bool all_const;
    SigArg *args = infer_args(in, &call->u.call.args, &all_const);
    *c = make_call(in, args, call->u.call.args.n);
    const CallExtra *x = call->u.call.extra;
    if (call->flags & EF_PARAMETRIC) {
        ExprList empty = {0};
        c->levels = infer_args(in, x ? &x->params : &empty, &all_const);
        c->nlevels = x ? x->params.n : 0;
        c->has_levels = true;
    }
}
