/* Result expressions of signatures (docs/stdlib.md, "Signatures"): the
 * rules the checker computes, and evaluating a result for one call. */
#include "typing/signature.h"

#include <stdlib.h>
#include <string.h>

#include "typing/promote.h"
#include "typing/typesyntax.h"

/* ---- Rules ---- */

#define RULE(id, name, min, max) {name, sizeof(name) - 1, id, min, max}
static const RuleName rules[] = {
    RULE(R_SUPERTYPE, "supertype", 1, -1), RULE(R_NUMERIC, "numeric", 1, -1), RULE(R_BRANCHES, "branches", 1, 1),
    RULE(R_COALESCE, "coalesce", 1, -1), RULE(R_LOGICAL, "logical", 1, -1), RULE(R_NULLS_OF, "nulls_of", 2, 2),
    RULE(R_ELEMENT, "element", 1, 1), RULE(R_ELEMENTS, "elements", 1, -1), RULE(R_KEY, "key", 1, 1),
    RULE(R_VALUE, "value", 1, 1), RULE(R_PLUS, "plus", 2, 2), RULE(R_MINUS, "minus", 2, 2),
    RULE(R_MULTIPLY, "multiply", 2, 2), RULE(R_DIVIDE, "divide", 2, 2), RULE(R_INTDIV, "intDiv", 2, 2),
    RULE(R_MODULO, "modulo", 2, 2), RULE(R_BITWISE, "bitwise", 2, 2), RULE(R_NEGATE, "negate", 1, 1),
    RULE(R_ABS, "abs", 1, 1), RULE(R_SUM, "sum", 1, 1), RULE(R_LAMBDA, "lambda", 1, 1), RULE(R_TYPE, "type", 1, 1),
    RULE(R_FIELD, "field", 2, 2), RULE(R_NULLABLE, "nullable", 1, 1), RULE(R_NOTNULL, "notnull", 1, 1),
    RULE(R_TUPLE, "tuple", 0, -1), RULE(R_MAP_OF, "map_of", 0, -1), RULE(R_IF_PLAIN, "if_plain", 2, 2), RULE(R_UNKNOWN, "Unknown", 0, 0),
    /* constructors */
    RULE(R_ARRAY, "Array", 1, 1), RULE(R_NULLABLE_TYPE, "Nullable", 1, 1),
    RULE(R_LOWCARDINALITY, "LowCardinality", 1, 1), RULE(R_MAP, "Map", 2, 2), RULE(R_TUPLE_TYPE, "Tuple", 1, -1),
    RULE(R_DATETIME, "DateTime", 0, 1), RULE(R_DATETIME64, "DateTime64", 1, 2),
    RULE(R_DATETIME_OR64, "datetime_or64", 1, 2), RULE(R_DECIMAL, "Decimal", 2, 2),
    RULE(R_DECIMAL32, "Decimal32", 1, 1), RULE(R_DECIMAL64, "Decimal64", 1, 1),
    RULE(R_DECIMAL128, "Decimal128", 1, 1), RULE(R_DECIMAL256, "Decimal256", 1, 1),
    RULE(R_FIXEDSTRING, "FixedString", 1, 1),
};

const RuleName *signature_rule(Name n)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (rules[i].len == n.len && memcmp(rules[i].name, n.s, n.len) == 0)
            return &rules[i];
    return NULL;
}

bool signature_rule_is_constructor(const RuleName *r)
{
    return r->id >= R_ARRAY;
}

int signature_param_index(const Signature *s, Name n)
{
    for (int i = 0; i < s->nparams; i++)
        if (name_eq(s->params[i].name, n))
            return i;
    return -1;
}

bool signature_is_interval_name(Name n)
{
    return n.len > 8 && memcmp(n.s, "Interval", 8) == 0;
}

/* ---- Literals ---- */

const char *signature_literal_string(Project *p, const char *src, const Expr *e)
{
    e = ast_unalias(e);
    if (!e || e->kind != EX_STRING)
        return NULL;
    const char *s = src + e->span.off;
    char *out = arena_alloc(&p->scratch, e->span.len);
    size_t k = 0;
    for (uint32_t i = 1; i + 1 < e->span.len; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 2 < e->span.len) {
            ch = s[++i];
            ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == '0' ? '\0' : ch;
        } else if (ch == '\'' && i + 2 < e->span.len && s[i + 1] == '\'') {
            i++;
        }
        out[k++] = ch;
    }
    out[k] = 0;
    return out;
}

bool signature_literal_int(const char *src, const Expr *e, long long *v)
{
    e = ast_unalias(e);
    bool negative = false;
    if (e && e->kind == EX_UNARY && e->op == OP_NEG) {
        negative = true;
        e = ast_unalias(e->u.x.a);
    }
    if (!e || e->kind != EX_INTEGER || e->span.len > 18)
        return false;
    char buf[20];
    memcpy(buf, src + e->span.off, e->span.len);
    buf[e->span.len] = 0;
    char *end;
    long long x = strtoll(buf, &end, 0);
    if (*end)
        return false;
    *v = negative ? -x : x;
    return true;
}

/* ---- Evaluating a result ---- */

static const Type *strip(const Type *t)
{
    return promote_unwrap(t);
}

typedef struct Eval {
    const Signature *s;
    const SigCall *c;
    const int *param_of;
} Eval;

static const Type *eval(Eval *ev, const TypeExpr *t, int depth);

/* The arguments bound to parameter k: their first index and count. */
static int bound_args(const Eval *ev, int k, int *first)
{
    int count = 0;
    *first = -1;
    for (int i = 0; i < ev->c->n; i++)
        if (ev->param_of[i] == k) {
            if (*first < 0)
                *first = i;
            count++;
        }
    return count;
}

/* A parameter reference: the one argument bound to it. */
static const SigArg *single_arg(Eval *ev, const TypeExpr *t)
{
    if (t->has_parens || t->args.n)
        return NULL;
    int k = signature_param_index(ev->s, t->name), first;
    if (k < 0 || bound_args(ev, k, &first) != 1)
        return NULL;
    return &ev->c->args[first];
}

static bool is_param_ref(const Eval *ev, const TypeExpr *t)
{
    return !t->has_parens && !t->args.n && signature_param_index(ev->s, t->name) >= 0;
}

/* Types of a list of result arguments; a repeated parameter stands for
 * every argument bound to it. Returns the count, or -1 when one is unknown. */
static int eval_list(Eval *ev, const TypeArgList *l, const Type **out, int max, int depth)
{
    int n = 0;
    for (int i = 0; i < l->n; i++) {
        const TypeExpr *t = l->v[i].type;
        if (l->v[i].kind != TARG_TYPE)
            return -1;
        if (is_param_ref(ev, t)) {
            int first, count = bound_args(ev, signature_param_index(ev->s, t->name), &first);
            for (int k = 0; k < ev->c->n && count; k++) {
                if (ev->param_of[k] != signature_param_index(ev->s, t->name))
                    continue;
                if (n >= max || !ev->c->args[k].type)
                    return -1;
                out[n++] = ev->c->args[k].type;
            }
            continue;
        }
        const Type *x = eval(ev, t, depth + 1);
        if (!x || n >= max)
            return -1;
        out[n++] = x;
    }
    return n;
}

static const Type *eval_arg(Eval *ev, const TypeExpr *t, int i, int depth)
{
    if (i >= t->args.n || t->args.v[i].kind != TARG_TYPE)
        return NULL;
    return eval(ev, t->args.v[i].type, depth + 1);
}

/* An integer written in the result or bound to a parameter: Decimal64(S). */
static bool int_arg(Eval *ev, const TypeExpr *t, int i, long long *v)
{
    if (i >= t->args.n)
        return false;
    const TypeArg *a = &t->args.v[i];
    const char *text = ev->s->decl->file->text;
    if (a->kind == TARG_NUMBER) {
        *v = strtoll(text + a->lit.off, NULL, 10);
        return true;
    }
    const SigArg *arg = a->kind == TARG_TYPE ? single_arg(ev, a->type) : NULL;
    return arg && signature_literal_int(ev->c->src, arg->expr, v);
}

/* DateTime(tz): the zone of a string literal, of a DateTime argument, or
 * none when the parameter was left out. Returns false when unknown. */
static bool tz_arg(Eval *ev, const TypeExpr *t, int i, const char **tz)
{
    *tz = NULL;
    if (i >= t->args.n)
        return true;
    const TypeArg *a = &t->args.v[i];
    if (a->kind != TARG_TYPE || !is_param_ref(ev, a->type))
        return false;
    int first;
    if (bound_args(ev, signature_param_index(ev->s, a->type->name), &first) == 0)
        return true;
    const SigArg *arg = single_arg(ev, a->type);
    if (!arg)
        return false;
    const Type *at = arg->type ? strip(arg->type) : NULL;
    if (at && (at->kind == TY_DATETIME || at->kind == TY_DATETIME64)) {
        *tz = at->tz;
        return true;
    }
    return (*tz = signature_literal_string(ev->c->p, ev->c->src, arg->expr)) != NULL;
}

static const Type *interval_type(Eval *ev, Name n)
{
    char unit[32];
    if (n.len - 8 >= sizeof unit)
        return NULL;
    memcpy(unit, n.s + 8, n.len - 8);
    unit[n.len - 8] = 0;
    Type t = {.kind = TY_INTERVAL, .func = unit};
    return type_intern(&ev->c->p->types, &t);
}

static const Type *lambda_rule(Eval *ev, const TypeExpr *t)
{
    const SigArg *f = t->args.n == 1 && t->args.v[0].kind == TARG_TYPE ? single_arg(ev, t->args.v[0].type) : NULL;
    if (!f || !f->expr || f->expr->kind != EX_LAMBDA || !ev->c->lambda)
        return NULL;
    /* The lambda's parameters take the elements of the arrays after it. */
    const Type *params[16];
    int n = 0;
    for (int i = (int)(f - ev->c->args) + 1; i < ev->c->n && n < 15; i++) {
        const Type *a = ev->c->args[i].type ? strip(ev->c->args[i].type) : NULL;
        if (a && a->kind == TY_MAP) { /* mapFilter((k, v) -> ..., m) */
            params[n++] = a->elems[0];
            params[n++] = a->elems[1];
            continue;
        }
        if (!a || a->kind != TY_ARRAY)
            return NULL;
        params[n++] = a->elems[0];
    }
    return ev->c->lambda(ev->c->ctx, f->expr, params, n);
}

static const Type *field_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *tuple = eval_arg(ev, t, 0, depth);
    const SigArg *which = t->args.v[1].kind == TARG_TYPE ? single_arg(ev, t->args.v[1].type) : NULL;
    if (!tuple || !which || (tuple = strip(tuple))->kind != TY_TUPLE)
        return NULL;
    long long i;
    if (signature_literal_int(ev->c->src, which->expr, &i))
        return i >= 1 && i <= tuple->n ? tuple->elems[i - 1] : NULL;
    const char *name = signature_literal_string(ev->c->p, ev->c->src, which->expr);
    for (int k = 0; name && tuple->names && k < tuple->n; k++)
        if (strcmp(tuple->names[k], name) == 0)
            return tuple->elems[k];
    return NULL;
}

static const Type *branches_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *all[64], *picked[33];
    int n = eval_list(ev, &t->args, all, 64, depth), k = 0;
    if (n < 3 || n % 2 == 0)
        return NULL;
    for (int i = 1; i < n; i += 2)
        picked[k++] = all[i];
    picked[k++] = all[n - 1];
    return promote_supertype(ev->c->p, picked, k);
}

/* arrayConcat: the common type of the arrays' elements. */
static const Type *elements_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *all[64];
    int n = eval_list(ev, &t->args, all, 64, depth);
    for (int i = 0; i < n; i++) {
        const Type *a = strip(all[i]);
        if (a->kind != TY_ARRAY)
            return NULL;
        all[i] = a->elems[0];
    }
    return n > 0 ? promote_supertype(ev->c->p, all, n) : NULL;
}

/* map(k1, v1, k2, v2, ...): the keys' and the values' common types. */
static const Type *map_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *all[64], *keys[32], *values[32];
    int n = eval_list(ev, &t->args, all, 64, depth);
    if (n < 0 || n % 2)
        return NULL;
    for (int i = 0; i < n; i += 2) {
        keys[i / 2] = all[i];
        values[i / 2] = all[i + 1];
    }
    TypeTable *tt = &ev->c->p->types;
    const Type *kv[2] = {type_simple(tt, TY_NOTHING), type_simple(tt, TY_NOTHING)};
    if (n && (!(kv[0] = promote_supertype(ev->c->p, keys, n / 2)) || !(kv[1] = promote_supertype(ev->c->p, values, n / 2))))
        return NULL;
    Type m = {.kind = TY_MAP, .elems = kv, .n = 2};
    return type_intern(tt, &m);
}

/* and, or, not, xor: Bool when an argument is Bool, else UInt8. */
static const Type *logical_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *all[64];
    int n = eval_list(ev, &t->args, all, 64, depth);
    bool any_bool = false;
    for (int i = 0; i < n; i++)
        any_bool |= strip(all[i])->kind == TY_BOOL;
    return n < 0 ? NULL : type_simple(&ev->c->p->types, any_bool ? TY_BOOL : TY_UINT8);
}

/* coalesce and ifNull: arguments after the first that cannot be NULL are
 * never used. One argument left is the result as it is; several meet in
 * their common type without NULLs, Nullable only when every one may be NULL. */
static const Type *coalesce_rule(Eval *ev, const TypeExpr *t, int depth)
{
    const Type *all[64], *plain[64];
    int n = eval_list(ev, &t->args, all, 64, depth), k = 0;
    const Type *last = NULL;
    bool nullable = true;
    for (int i = 0; i < n && nullable; i++) {
        const Type *x = all[i]->kind == TY_LOWCARDINALITY ? all[i]->elems[0] : all[i];
        nullable = x->kind == TY_NULLABLE;
        if (nullable && x->elems[0]->kind == TY_NOTHING)
            continue;
        last = all[i];
        plain[k++] = nullable ? x->elems[0] : all[i];
    }
    if (k == 1)
        return last;
    const Type *r = k ? promote_supertype(ev->c->p, plain, k) : NULL;
    return r && nullable ? promote_make_nullable(ev->c->p, r) : r;
}

static Arith arith_of(RuleId id)
{
    switch (id) {
    case R_PLUS: return AR_PLUS;
    case R_MINUS: return AR_MINUS;
    case R_MULTIPLY: return AR_MULTIPLY;
    case R_DIVIDE: return AR_DIVIDE;
    case R_INTDIV: return AR_INTDIV;
    case R_MODULO: return AR_MODULO;
    default: return AR_BIT;
    }
}

static int decimal_bucket_of(RuleId id)
{
    return id == R_DECIMAL32 ? 9 : id == R_DECIMAL64 ? 18 : id == R_DECIMAL128 ? 38 : id == R_DECIMAL256 ? 76 : 0;
}

static const Type *constructor(Eval *ev, RuleId id, const TypeExpr *t, int depth)
{
    Project *p = ev->c->p;
    TypeTable *tt = &p->types;
    long long a, b;
    const char *tz;
    switch (id) {
    case R_ARRAY: case R_NULLABLE_TYPE: case R_LOWCARDINALITY: {
        const Type *x = eval_arg(ev, t, 0, depth);
        if (!x)
            return NULL;
        if (id == R_ARRAY)
            return type_wrap(tt, TY_ARRAY, x);
        if (id == R_NULLABLE_TYPE)
            return promote_make_nullable(p, x);
        if (x->kind == TY_LOWCARDINALITY)
            return x;
        return promote_can_be_lowcard(x) ? type_wrap(tt, TY_LOWCARDINALITY, x) : NULL;
    }
    case R_MAP: {
        const Type *kv[2] = {eval_arg(ev, t, 0, depth), eval_arg(ev, t, 1, depth)};
        Type m = {.kind = TY_MAP, .elems = kv, .n = 2};
        return kv[0] && kv[1] ? type_intern(tt, &m) : NULL;
    }
    case R_TUPLE_TYPE: case R_TUPLE: {
        const Type *elems[64];
        int n = eval_list(ev, &t->args, elems, 64, depth);
        Type tup = {.kind = TY_TUPLE, .elems = elems, .n = n};
        return n > 0 ? type_intern(tt, &tup) : NULL;
    }
    case R_DATETIME: {
        if (!tz_arg(ev, t, 0, &tz))
            return NULL;
        Type d = {.kind = TY_DATETIME, .tz = tz};
        return type_intern(tt, &d);
    }
    case R_DATETIME64: case R_DATETIME_OR64: {
        if (!int_arg(ev, t, 0, &a) || a < 0 || a > 9 || !tz_arg(ev, t, 1, &tz))
            return NULL;
        /* datetime_or64(p, tz): DateTime64(p, tz), but DateTime(tz) for a
         * precision of 0, as parseDateTimeBestEffort(s, 0) is (26.5) */
        Type d = {.kind = id == R_DATETIME_OR64 && a == 0 ? TY_DATETIME : TY_DATETIME64, .precision = (int)a, .tz = tz};
        return type_intern(tt, &d);
    }
    case R_FIXEDSTRING: {
        if (!int_arg(ev, t, 0, &a) || a < 1 || a > (1 << 20))
            return NULL;
        Type f = {.kind = TY_FIXEDSTRING, .precision = (int)a};
        return type_intern(tt, &f);
    }
    case R_DECIMAL32: case R_DECIMAL64: case R_DECIMAL128: case R_DECIMAL256: {
        int bucket = decimal_bucket_of(id);
        if (!int_arg(ev, t, 0, &a) || a < 0 || a > bucket)
            return NULL;
        Type d = {.kind = TY_DECIMAL, .precision = bucket, .scale = (int)a};
        return type_intern(tt, &d);
    }
    case R_DECIMAL: {
        if (!int_arg(ev, t, 0, &a) || !int_arg(ev, t, 1, &b) || a < 1 || a > 76 || b < 0 || b > a)
            return NULL;
        Type d = {.kind = TY_DECIMAL, .precision = (int)a, .scale = (int)b};
        return type_intern(tt, &d);
    }
    default:
        return NULL;
    }
}

/* The rules over one type: x is the first argument. */
static const Type *unary_rule(Eval *ev, RuleId id, const TypeExpr *t, const Type *x, int depth)
{
    Project *p = ev->c->p;
    switch (id) {
    case R_NULLS_OF: { /* the second, Nullable when the first is */
        const Type *y = eval_arg(ev, t, 1, depth);
        const Type *nx = x->kind == TY_LOWCARDINALITY ? x->elems[0] : x;
        return y && nx->kind == TY_NULLABLE ? promote_make_nullable(p, y) : y;
    }
    case R_IF_PLAIN: { /* the second, when the first cannot be NULL; else Unknown */
        const Type *nx = x->kind == TY_LOWCARDINALITY ? x->elems[0] : x;
        return nx->kind == TY_NULLABLE ? NULL : eval_arg(ev, t, 1, depth);
    }
    case R_NULLABLE: return promote_make_nullable(p, x);
    case R_NOTNULL: return x->kind == TY_NULLABLE ? x->elems[0] : x;
    default: break;
    }
    x = strip(x);
    switch (id) {
    case R_ELEMENT: return x->kind == TY_ARRAY ? x->elems[0] : x->kind == TY_NOTHING ? x : NULL;
    case R_KEY: return x->kind == TY_MAP ? x->elems[0] : NULL;
    case R_VALUE: return x->kind == TY_MAP ? x->elems[1] : NULL;
    case R_NEGATE: return promote_negate(p, x);
    case R_ABS: return promote_abs(p, x);
    case R_SUM: return promote_sum(p, x);
    default: {
        const Type *y = eval_arg(ev, t, 1, depth);
        return y ? promote_arith(p, arith_of(id), x, strip(y)) : NULL;
    }
    }
}

static const Type *rule(Eval *ev, RuleId id, const TypeExpr *t, int depth)
{
    Project *p = ev->c->p;
    switch (id) {
    case R_UNKNOWN:
        return NULL;
    case R_SUPERTYPE: case R_NUMERIC: {
        const Type *types[64];
        int k = eval_list(ev, &t->args, types, 64, depth);
        if (k <= 0)
            return NULL;
        return id == R_NUMERIC ? promote_numeric_supertype(p, types, k) : promote_supertype(p, types, k);
    }
    case R_BRANCHES: return branches_rule(ev, t, depth);
    case R_ELEMENTS: return elements_rule(ev, t, depth);
    case R_MAP_OF: return map_rule(ev, t, depth);
    case R_LOGICAL: return logical_rule(ev, t, depth);
    case R_COALESCE: return coalesce_rule(ev, t, depth);
    case R_LAMBDA: return lambda_rule(ev, t);
    case R_FIELD: return field_rule(ev, t, depth);
    case R_TUPLE: return constructor(ev, id, t, depth);
    case R_TYPE: {
        const SigArg *a = t->args.v[0].kind == TARG_TYPE ? single_arg(ev, t->args.v[0].type) : NULL;
        const char *text = a ? signature_literal_string(p, ev->c->src, a->expr) : NULL;
        return text ? typestring_parse(p, text) : NULL;
    }
    default: {
        const Type *x = eval_arg(ev, t, 0, depth);
        return x ? unary_rule(ev, id, t, x, depth) : NULL;
    }
    }
}

static const Type *eval(Eval *ev, const TypeExpr *t, int depth)
{
    if (depth > 16)
        return NULL;
    if (t->resolved)
        return t->resolved;
    if (is_param_ref(ev, t)) {
        const SigArg *a = single_arg(ev, t);
        return a ? a->type : NULL;
    }
    if (!t->has_parens && !t->args.n && signature_is_interval_name(t->name))
        return interval_type(ev, t->name);
    const RuleName *r = signature_rule(t->name);
    if (r && r->id == R_UNKNOWN)
        return NULL;
    if (r && (t->has_parens || r->min == 0)) {
        if (signature_rule_is_constructor(r)) {
            /* Array(String) is a plain type (read once, in the library);
             * Array(x) needs the evaluator. */
            const Type *plain = ev->s->decl->file->builtin ? NULL
                              : typesyntax_read_quiet(ev->c->p, ev->s->decl->file, t);
            return plain ? plain : constructor(ev, r->id, t, depth);
        }
        return rule(ev, r->id, t, depth);
    }
    return typesyntax_read_quiet(ev->c->p, ev->s->decl->file, t);
}

const Type *signature_result(const Signature *s, const SigCall *c, const int *param_of)
{
    if (s->catch_all)
        return NULL;
    Eval ev = {s, c, param_of};
    ArenaMark mark = arena_mark(&c->p->scratch);
    const Type *r = eval(&ev, s->decl->ret, 0);
    arena_release(&c->p->scratch, mark);
    return r;
}

