/* Aggregate calls, combinators and their NULL rules. The shape follows
 * ClickHouse's AggregateFunctionFactory: get() unwraps LowCardinality and,
 * when an argument is Nullable, applies the internal Null combinator
 * around the function built from the plain types; getImpl() peels one
 * combinator suffix and calls get() for the rest. The Null combinator
 * moves inside -State and -SimpleState (a state is never Nullable), and
 * -If brings its own (a Nullable condition alone does not make the result
 * Nullable). Every rule here was checked with toTypeName on chDB 26.5. */
#include "typing/aggregate.h"

#include <string.h>

#include "typing/promote.h"
#include "project/versions.h"

typedef enum FnKind {
    FN_BASE, FN_IF, FN_ARRAY, FN_FOREACH, FN_DISTINCT, FN_ORNULL, FN_ORDEFAULT, FN_STATE, FN_SIMPLESTATE,
    FN_MERGE, FN_MERGESTATE, FN_RESAMPLE, FN_ARGMINMAX, FN_MAP, FN_OPAQUE
} FnKind;

static const struct {
    const char *suffix;
    FnKind kind;
} combinators[] = {
    /* Longest first: uniqMergeState is uniq + MergeState, not uniqMerge + State. */
    {"MergeState", FN_MERGESTATE}, {"SimpleState", FN_SIMPLESTATE}, {"OrDefault", FN_ORDEFAULT},
    {"Distinct", FN_DISTINCT}, {"Resample", FN_RESAMPLE}, {"ForEach", FN_FOREACH}, {"OrNull", FN_ORNULL},
    {"ArgMin", FN_ARGMINMAX}, {"ArgMax", FN_ARGMINMAX}, {"State", FN_STATE}, {"Merge", FN_MERGE},
    {"Array", FN_ARRAY}, {"Map", FN_MAP}, {"If", FN_IF},
};
enum { NCOMBINATORS = sizeof(combinators) / sizeof(combinators[0]) };

/* One level of a combinator chain, as built. */
typedef struct AggFn {
    FnKind kind;
    const Type *result;      /* NULL: unknown */
    bool returns_default;    /* count, uniq: 0 rather than NULL for no rows */
    int state_version;       /* sumMap: AggregateFunction(1, sumMap, ...) */
    bool self_nulls;         /* its base handles NULLs itself (nulls = 'self') */
    size_t name_len;         /* this level's function is the name's prefix */
    const struct AggFn *nested;
} AggFn;

typedef struct Agg {
    const SigCall *c;
    Project *p;
    const char *name;
    const char *params;      /* "(0.5, 0.9)" or "" */
    int nlevels;             /* the parameters this level sees: -Resample keeps its 3 */
    bool has_levels;
    AggIssue *issue;
    int quiet;               /* inside -Merge: the state's own function is not the call's */
} Agg;

static AggFn *agg_get(Agg *a, size_t len, const Type **args, int n, int depth);

static AggFn *new_fn(Agg *a, FnKind kind, size_t len, const AggFn *nested)
{
    AggFn *f = arena_zalloc(&a->p->scratch, sizeof(*f));
    f->kind = kind;
    f->name_len = len;
    f->nested = nested;
    if (nested) {
        f->returns_default = nested->returns_default;
        f->state_version = nested->state_version;
        f->self_nulls = nested->self_nulls;
    }
    return f;
}

static void report(Agg *a, AggIssue is)
{
    if (a->quiet || a->issue->problem != AGG_OK)
        return;
    *a->issue = is;
}

static const char *prefix(Agg *a, size_t len)
{
    return arena_strndup(&a->p->scratch, a->name, len);
}

static Object *find_aggregate(Project *p, const char *name, size_t len)
{
    Object *o = project_function(p, (Name){.s = name, .len = (uint32_t)len});
    return o && o->kind == OBJ_AGGREGATE ? o : NULL;
}

const char *aggregate_combinator(int i)
{
    return i >= 0 && i < NCOMBINATORS ? combinators[i].suffix : NULL;
}

Object *aggregate_lookup(Project *p, Name call)
{
    Object *f = project_function(p, call);
    if (f)
        return f->kind == OBJ_AGGREGATE ? f : NULL; /* a plain function's name is never a combination */
    size_t base_len;
    return aggregate_base(p, call.s, call.len, &base_len);
}

Object *aggregate_base(Project *p, const char *name, size_t len, size_t *base_len)
{
    Object *o = find_aggregate(p, name, len);
    if (o) {
        *base_len = len;
        return o;
    }
    for (int i = 0; i < NCOMBINATORS; i++) {
        size_t k = strlen(combinators[i].suffix);
        if (len > k && memcmp(name + len - k, combinators[i].suffix, k) == 0 &&
            (o = aggregate_base(p, name, len - k, base_len)))
            return o;
    }
    return NULL;
}

int aggregate_resamples(const char *suffixes, size_t len)
{
    int n = 0;
    for (size_t i = 0; i + 8 <= len; i++)
        if (memcmp(suffixes + i, "Resample", 8) == 0)
            n++;
    return n;
}

/* ---- The base aggregate ---- */

static AggFn *base(Agg *a, Object *o, size_t len, const Type **args, int n)
{
    AggFn *f = new_fn(a, FN_BASE, len, NULL);
    const SigSet *set = signatures_of(a->p, o);
    if (!set || !set->typed)
        return f; /* only named by the library: nothing known */
    SigArg sa[64];
    if (n > 64)
        return f;
    for (int i = 0; i < n; i++)
        sa[i] = (SigArg){.type = args[i], .expr = i < a->c->n ? a->c->args[i].expr : NULL};
    SigCall call = *a->c;
    call.args = sa;
    call.n = n;
    call.nlevels = a->nlevels;
    call.has_levels = a->has_levels;
    const Signature *s = signature_pick(set, &call, &f->result);
    if (s) {
        f->returns_default = s->nulls == NULLS_IGNORE;
        f->state_version = s->state_version;
        f->self_nulls = s->nulls == NULLS_SELF;
        return f;
    }
    /* No overload fits: say why the first one that applies does not. */
    for (int i = 0; i < set->n; i++) {
        Mismatch why;
        if (!signature_in_version(&set->v[i], &a->p->options) ||
            signature_match(&set->v[i], &call, NULL, &why) == MATCH_OK)
            continue;
        AggProblem pr = why.status == MATCH_COUNT ? AGG_COUNT : why.status == MATCH_KIND ? AGG_KIND : AGG_LEVELS;
        const Type *found = why.status == MATCH_KIND ? args[why.arg]
                          : pr == AGG_LEVELS && why.param ? call.levels[why.arg].type : NULL;
        report(a, (AggIssue){.problem = pr, .arg = why.arg, .sig = &set->v[i], .param = why.param,
                             .base = prefix(a, len), .found = found});
        break;
    }
    f->result = NULL;
    f->kind = FN_OPAQUE;
    return NULL;
}

/* ---- Combinators ---- */

static AggFn *state_of(Agg *a, size_t plen, size_t len, const AggFn *nested, const Type **args, int n)
{
    AggFn *f = new_fn(a, FN_STATE, len, nested);
    for (int i = 0; i < n; i++)
        if (!args[i])
            return f;
    size_t np = strlen(a->params);
    char *fn = arena_alloc(&a->p->scratch, plen + np + 1);
    memcpy(fn, a->name, plen);
    memcpy(fn + plen, a->params, np + 1);
    if (nested && nested->state_version && version_has_feature(&a->p->options, F_STATE_VERSION))
        fn = arena_printf(&a->p->scratch, "%d, %s", nested->state_version, fn); /* rare: sumMap */
    /* The state names the arguments as the function sees them: without
     * LowCardinality at any depth (recursiveRemoveLowCardinality; 18.16
     * and 26.5 alike: anyState([lc]) is AggregateFunction(any, Array(String))). */
    const Type **bare = arena_alloc(&a->p->scratch, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        bare[i] = type_strip_lowcardinality(&a->p->types, args[i]);
    Type t = {.kind = TY_AGGREGATE, .func = fn, .elems = bare, .n = n};
    f->result = type_intern(&a->p->types, &t);
    return f;
}

static AggFn *simple_state_of(Agg *a, size_t plen, size_t len, const AggFn *nested, const Type *result)
{
    AggFn *f = new_fn(a, FN_SIMPLESTATE, len, nested);
    if (!result)
        return f;
    const char *fn = arena_strndup(&a->p->scratch, a->name, plen);
    result = type_strip_lowcardinality(&a->p->types, result);
    Type t = {.kind = TY_SIMPLE_AGGREGATE, .func = fn, .elems = &result, .n = 1};
    f->result = type_intern(&a->p->types, &t);
    return f;
}

/* -Merge and -MergeState: the argument is a state of the same function. */
static AggFn *merge(Agg *a, FnKind kind, size_t plen, size_t len, const Type **args, int n, int depth)
{
    AggFn *f = new_fn(a, kind, len, NULL);
    const Type *s = n == 1 ? args[0] : NULL;
    if (n != 1 || !s || s->kind != TY_AGGREGATE) {
        if (n != 1 || (s && s->kind != TY_AGGREGATE))
            report(a, (AggIssue){.problem = AGG_NOT_STATE, .arg = n == 1 ? 0 : -1, .combinator = kind == FN_MERGE ? "Merge" : "MergeState",
                                 .base = prefix(a, plen), .found = s});
        return n == 1 && !s ? f : NULL;
    }
    const char *sf = type_state_function(s);
    size_t flen = strcspn(sf, "(");
    if (flen != plen || memcmp(sf, a->name, plen) != 0) {
        report(a, (AggIssue){.problem = AGG_WRONG_STATE, .arg = 0, .combinator = kind == FN_MERGE ? "Merge" : "MergeState",
                             .base = prefix(a, plen), .found = s});
        return NULL;
    }
    if (kind == FN_MERGESTATE) {
        f->result = s;
        return f;
    }
    a->quiet++;
    const AggFn *inner = agg_get(a, plen, (const Type **)s->elems, s->n, depth + 1);
    a->quiet--;
    f->nested = inner;
    f->result = inner ? inner->result : NULL;
    f->returns_default = inner && inner->returns_default;
    return f;
}

/* -Array and -ForEach: the function runs over the arrays' elements. */
static AggFn *over_elements(Agg *a, FnKind kind, size_t plen, size_t len, const Type **args, int n, int depth)
{
    const Type **elems = arena_alloc(&a->p->scratch, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        const Type *t = args[i];
        if (t && t->kind != TY_ARRAY) {
            report(a, (AggIssue){.problem = AGG_NOT_ARRAY, .arg = i, .combinator = kind == FN_ARRAY ? "Array" : "ForEach",
                                 .base = prefix(a, plen), .found = t});
            return NULL;
        }
        elems[i] = t ? t->elems[0] : NULL;
    }
    const AggFn *nested = agg_get(a, plen, elems, n, depth + 1);
    if (!nested)
        return NULL;
    AggFn *f = new_fn(a, kind, len, nested);
    f->result = nested->result && kind == FN_FOREACH ? type_wrap(&a->p->types, TY_ARRAY, nested->result)
              : kind == FN_ARRAY ? nested->result : NULL;
    return f;
}

/* -Resample: the function over each range of a key, `fResample(start, end,
 * step)(args, key)`; its 3 parameters follow the function's own, its key
 * the arguments (chDB 26.5 refuses fewer parameters, 42). Its result is an
 * array of the function's over the plain arguments: a Nullable argument
 * (the key too) puts the Null combinator outside the Resample, and an
 * array cannot be Nullable (chDB 26.5: sumResample(0, 10, 2)(toNullable(x),
 * k) and anyResample of the same are Array(UInt64); sumOrNullResample is
 * Array(Nullable(UInt64)), sumResampleOrNull Array(UInt64); a NULL
 * argument, Nullable(Nothing)). */
static AggFn *resample(Agg *a, size_t plen, size_t len, const Type **args, int n, int depth)
{
    if (a->nlevels < 3 || n < 1) {
        report(a, (AggIssue){.problem = AGG_RESAMPLE, .arg = n < 1 ? 0 : -1, .combinator = "Resample",
                             .base = prefix(a, plen)});
        return NULL;
    }
    int nlevels = a->nlevels;
    bool has_levels = a->has_levels;
    a->nlevels -= 3;
    a->has_levels = a->nlevels > 0;
    const AggFn *nested = agg_get(a, plen, args, n - 1, depth + 1);
    a->nlevels = nlevels;
    a->has_levels = has_levels;
    if (!nested)
        return NULL;
    AggFn *f = new_fn(a, FN_RESAMPLE, len, nested);
    f->result = nested->result ? type_wrap(&a->p->types, TY_ARRAY, nested->result) : NULL;
    return f;
}

/* -Map: the function over each key's values of one Map argument,
 * `avgMap(m)` a Map of the key to avg of the values (chDB 26.5:
 * avgMap(map('a', x)) is Map(String, Float64), uniqMap's values UInt64).
 * Other arguments: Unknown. */
static AggFn *map_of(Agg *a, size_t plen, size_t len, const Type **args, int n, int depth)
{
    const Type *m = n == 1 ? args[0] : NULL;
    if (!m || m->kind != TY_MAP)
        return new_fn(a, FN_OPAQUE, len, NULL);
    const Type *value = m->elems[1];
    const AggFn *nested = agg_get(a, plen, &value, 1, depth + 1);
    if (!nested)
        return NULL;
    AggFn *f = new_fn(a, FN_MAP, len, nested);
    const Type *kv[2] = {m->elems[0], nested->result};
    Type map = {.kind = TY_MAP, .elems = kv, .n = 2};
    f->result = nested->result ? type_intern(&a->p->types, &map) : NULL;
    return f;
}

static AggFn *combinator(Agg *a, FnKind kind, size_t plen, size_t len, const Type **args, int n, int depth)
{
    if (kind == FN_RESAMPLE)
        return resample(a, plen, len, args, n, depth);
    if (kind == FN_MAP)
        return map_of(a, plen, len, args, n, depth);
    /* -ArgMin, -ArgMax: the function of the row with the least (greatest)
     * key, its last argument: the function's result (chDB 26.5). */
    if (kind == FN_ARGMINMAX && n-- < 2)
        return new_fn(a, FN_OPAQUE, len, NULL);
    if (kind == FN_MERGE || kind == FN_MERGESTATE)
        return merge(a, kind, plen, len, args, n, depth);
    if (kind == FN_ARRAY || kind == FN_FOREACH)
        return over_elements(a, kind, plen, len, args, n, depth);
    if (kind == FN_IF) {
        const Type *cond = n ? promote_unwrap(args[n - 1]) : NULL;
        if (!n || (cond && !type_is_number(cond) && cond->kind != TY_NOTHING)) {
            report(a, (AggIssue){.problem = AGG_NO_CONDITION, .arg = n - 1, .combinator = "If",
                                 .base = prefix(a, plen), .found = n ? args[n - 1] : NULL});
            return NULL;
        }
        n--;
    }
    const AggFn *nested = agg_get(a, plen, args, n, depth + 1);
    if (!nested)
        return NULL;
    switch (kind) {
    case FN_STATE:
        return state_of(a, plen, len, nested, args, n);
    case FN_SIMPLESTATE:
        return simple_state_of(a, plen, len, nested, nested->result);
    case FN_OPAQUE:
        return new_fn(a, FN_OPAQUE, len, nested);
    default: {
        AggFn *f = new_fn(a, kind, len, nested);
        f->result = nested->result;
        if (kind == FN_ORNULL && f->result && promote_can_be_nullable_here(a->p, f->result))
            f->result = type_wrap(&a->p->types, TY_NULLABLE, f->result);
        return f;
    }
    }
}

static AggFn *agg_impl(Agg *a, size_t len, const Type **args, int n, int depth)
{
    Object *o = find_aggregate(a->p, a->name, len);
    if (o)
        return base(a, o, len, args, n);
    size_t base_len;
    for (int i = 0; i < NCOMBINATORS && depth < 8; i++) {
        size_t k = strlen(combinators[i].suffix);
        if (len <= k || memcmp(a->name + len - k, combinators[i].suffix, k) != 0 ||
            !aggregate_base(a->p, a->name, len - k, &base_len))
            continue;
        return combinator(a, combinators[i].kind, len - k, len, args, n, depth);
    }
    return new_fn(a, FN_OPAQUE, len, NULL);
}

/* ---- NULLs ---- */

/* Before about 20.5 only count itself returned 0 rather than NULL. */
static bool returns_default(Agg *a, const AggFn *f)
{
    if (version_has_feature(&a->p->options, F_DEFAULT_FOR_NULLS))
        return f->returns_default;
    return f->returns_default && f->kind == FN_BASE && f->name_len == 5 && memcmp(a->name, "count", 5) == 0;
}

static bool returns_nullable(Agg *a, const AggFn *f)
{
    return f->result && !returns_default(a, f) && promote_can_be_nullable_here(a->p, f->result);
}

/* The Null combinator around f, built from the plain types; args are the
 * Nullable ones. */
static AggFn *null_adapter(Agg *a, const AggFn *f, const Type **args, int n)
{
    AggFn *g = new_fn(a, f->kind, f->name_len, f->nested);
    g->returns_default = f->returns_default;
    g->state_version = f->state_version;
    if (f->self_nulls)
        return g; /* a function with NULL rules of its own, under combinators: Unknown */
    for (int i = 0; i < n; i++)
        if (args[i] && args[i]->kind == TY_NULLABLE && args[i]->elems[0]->kind == TY_NOTHING) {
            g->result = returns_default(a, f) ? type_simple(&a->p->types, TY_UINT64)
                                           : type_wrap(&a->p->types, TY_NULLABLE, type_simple(&a->p->types, TY_NOTHING));
            return g;
        }
    if (f->kind == FN_STATE) {
        /* The state keeps the Nullable arguments: Null goes inside it.
         * Older servers made the state of the plain arguments. */
        if (!version_has_feature(&a->p->options, F_NULLABLE_STATE))
            return (AggFn *)f;
        size_t plen = f->nested ? f->nested->name_len : f->name_len;
        return state_of(a, plen, f->name_len, f->nested, args, n);
    }
    if (f->kind == FN_SIMPLESTATE) {
        if (!version_has_feature(&a->p->options, F_NULLABLE_SIMPLE_STATE))
            return new_fn(a, FN_OPAQUE, f->name_len, f->nested); /* Nullable(SimpleAggregateFunction(...)) there */
        const AggFn *inner = f->nested ? null_adapter(a, f->nested, args, n) : NULL;
        return simple_state_of(a, f->nested ? f->nested->name_len : f->name_len, f->name_len, f->nested,
                               inner ? inner->result : NULL);
    }
    bool wrap = returns_nullable(a, f);
    if (f->kind == FN_IF && version_has_feature(&a->p->options, F_IF_NULL_ADAPTER)) {
        /* -If's own adapter: the condition alone does not count */
        wrap = false;
        for (int i = 0; i + 1 < n; i++)
            wrap |= args[i] && args[i]->kind == TY_NULLABLE;
        wrap &= returns_nullable(a, f);
    }
    g->result = wrap ? type_wrap(&a->p->types, TY_NULLABLE, f->result) : f->result;
    return g;
}

/* A base aggregate that handles NULLs itself (window functions, 18.16's
 * quantiles): an overload with nulls = 'self' takes the Nullable arguments. */
static bool handles_nulls(Agg *a, size_t len, const Type **args, int n)
{
    Object *o = find_aggregate(a->p, a->name, len);
    const SigSet *set = o ? signatures_of(a->p, o) : NULL;
    SigArg sa[64];
    if (!set || !set->typed || n > 64)
        return false;
    for (int i = 0; i < n; i++)
        sa[i] = (SigArg){.type = args[i], .expr = i < a->c->n ? a->c->args[i].expr : NULL};
    SigCall call = *a->c;
    call.args = sa;
    call.n = n;
    call.nlevels = a->nlevels;
    call.has_levels = a->has_levels;
    for (int i = 0; i < set->n; i++)
        if (set->v[i].nulls == NULLS_SELF && signature_in_version(&set->v[i], &a->p->options) &&
            signature_match(&set->v[i], &call, NULL, NULL) == MATCH_OK)
            return true;
    return false;
}

static AggFn *agg_get(Agg *a, size_t len, const Type **args, int n, int depth)
{
    const Type **plain = arena_alloc(&a->p->scratch, sizeof(Type *) * (size_t)(n + 1));
    const Type **lowcard_free = arena_alloc(&a->p->scratch, sizeof(Type *) * (size_t)(n + 1));
    bool nullable = false;
    for (int i = 0; i < n; i++) {
        const Type *t = args[i];
        if (t && t->kind == TY_LOWCARDINALITY)
            t = t->elems[0];
        lowcard_free[i] = plain[i] = t;
        if (t && t->kind == TY_NULLABLE) {
            nullable = true;
            if (t->elems[0]->kind != TY_NOTHING)
                plain[i] = t->elems[0];
        }
    }
    if (!nullable || handles_nulls(a, len, lowcard_free, n))
        return agg_impl(a, len, lowcard_free, n, depth);
    AggFn *f = agg_impl(a, len, plain, n, depth);
    return f ? null_adapter(a, f, lowcard_free, n) : NULL;
}

const Type *aggregate_type(const SigCall *c, const char *name, const char *params_text, AggIssue *issue)
{
    AggIssue ignored;
    if (!issue)
        issue = &ignored;
    memset(issue, 0, sizeof(*issue));
    Agg a = {c, c->p, name, params_text ? params_text : "", c->nlevels, c->has_levels, issue, 0};
    const Type **args = arena_alloc(&c->p->scratch, sizeof(Type *) * (size_t)(c->n + 1));
    for (int i = 0; i < c->n; i++)
        args[i] = c->args[i].type;
    const AggFn *f = agg_get(&a, strlen(name), args, c->n, 0);
    return f ? f->result : NULL;
}
