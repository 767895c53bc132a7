/* Signatures: compiling a declaration's parameter types into patterns,
 * matching calls against them, and evaluating result expressions. The
 * language is documented in docs/stdlib.md. */
#include "signature.h"

#include <stdlib.h>
#include <string.h>

#include "promote.h"
#include "typesyntax.h"
#include "versions.h"

/* ---- Compiling ---- */

typedef struct Compiler {
    Project *p;
    Decl *d;
    bool report;
    bool failed;
} Compiler;

static void compile_error(Compiler *c, Span at, const char *fmt, const char *arg)
{
    c->failed = true;
    if (c->report)
        diag_error(&c->p->diags, "invalid-type", c->d->file, at, fmt, arg);
}

/* A note under the diagnostic typesyntax.c just reported. */
static void explain_signature(Compiler *c, const char *what)
{
    Diags *d = &c->p->diags;
    if (d->list.n)
        diag_note(d, d->list.v[d->list.n - 1], NULL, (Span){0}, "%s", what);
}

static const char *const class_names[CLS_COUNT] = {
    [CLS_NUMBER] = "Number", [CLS_INTEGER] = "Integer", [CLS_UINTEGER] = "UInteger", [CLS_FLOAT] = "Float",
    [CLS_DECIMAL] = "Decimal", [CLS_TEXT] = "Text", [CLS_ANYDATE] = "AnyDate", [CLS_ANYDATETIME] = "AnyDateTime",
    [CLS_TEMPORAL] = "Temporal", [CLS_ARRAY] = "Array", [CLS_TUPLE] = "Tuple", [CLS_MAP] = "Map",
    [CLS_STATE] = "AggregateFunction", [CLS_INTERVAL] = "Interval", [CLS_ENUM] = "Enum", [CLS_IP] = "IP",
    [CLS_DATETIME] = "DateTime", [CLS_DATETIME64] = "DateTime64", [CLS_FIXEDSTRING] = "FixedString",
};

static int class_of_name(const TypeExpr *t)
{
    if (t->has_parens)
        return -1;
    for (int i = 0; i < CLS_COUNT; i++)
        if (name_is(t->name, class_names[i]))
            return i;
    return -1;
}

static Pattern *new_pattern(Compiler *c, PatKind kind, const TypeExpr *t)
{
    Pattern *pat = arena_zalloc(&c->p->arena, sizeof(*pat));
    pat->kind = (uint8_t)kind;
    pat->text = t;
    return pat;
}

static const Pattern *compile_pattern(Compiler *c, const TypeExpr *t);

static const Pattern *compile_list(Compiler *c, const TypeExpr *t, PatKind kind, int want)
{
    if ((want && t->args.n != want) || !t->args.n) {
        compile_error(c, t->span, "'%s' has the wrong number of types in a signature",
                      name_cstr(&c->p->arena, t->name));
        return NULL;
    }
    Pattern *pat = new_pattern(c, kind, t);
    pat->n = t->args.n;
    pat->sub = arena_alloc(&c->p->arena, sizeof(Pattern *) * (size_t)pat->n);
    for (int i = 0; i < pat->n; i++) {
        if (t->args.v[i].kind != TARG_TYPE) {
            compile_error(c, t->span, "%s takes types in a signature", name_cstr(&c->p->arena, t->name));
            return NULL;
        }
        if (!(pat->sub[i] = compile_pattern(c, t->args.v[i].type)))
            return NULL;
    }
    return pat;
}

static const Pattern *compile_pattern(Compiler *c, const TypeExpr *t)
{
    if (name_is(t->name, "Any") && !t->has_parens)
        return new_pattern(c, PAT_ANY, t);
    if (name_is(t->name, "Lambda") && !t->has_parens)
        return new_pattern(c, PAT_LAMBDA, t);
    int cls = class_of_name(t);
    if (cls >= 0) {
        Pattern *pat = new_pattern(c, PAT_CLASS, t);
        pat->cls = (uint8_t)cls;
        return pat;
    }
    if (name_is(t->name, "oneOf"))
        return compile_list(c, t, PAT_ONEOF, 0);
    if (name_is(t->name, "Array"))
        return compile_list(c, t, PAT_ARRAY, 1);
    if (name_is(t->name, "Map"))
        return compile_list(c, t, PAT_MAP, 2);
    if (name_is(t->name, "repeated") || name_is(t->name, "optional")) {
        compile_error(c, t->span, "%s applies to a whole parameter, not inside a type", name_cstr(&c->p->arena, t->name));
        return NULL;
    }
    const Type *type = type_from_syntax_quiet(c->p, c->d->file, t);
    if (!type) {
        c->failed = true;
        if (c->report && !type_from_syntax(c->p, c->d->file, t, t->span)) /* says why, with a suggestion */
            explain_signature(c, "a parameter's type is a type or a class of types (docs/stdlib.md)");
        return NULL;
    }
    Pattern *pat = new_pattern(c, PAT_TYPE, t);
    pat->type = type;
    return pat;
}

/* `x Integer`, `x optional(String)`, `args repeated(Any)`. */
static SigParam *compile_params(Compiler *c, const ParamList *l)
{
    SigParam *out = arena_zalloc(&c->p->arena, sizeof(SigParam) * (size_t)(l->n + 1));
    for (int i = 0; i < l->n; i++) {
        const TypeExpr *t = l->v[i].type;
        out[i].name = l->v[i].name;
        bool wrapper = name_is(t->name, "repeated") || name_is(t->name, "optional");
        if (wrapper) {
            out[i].mode = name_is(t->name, "repeated") ? PM_REPEATED : PM_OPTIONAL;
            if (t->args.n != 1 || t->args.v[0].kind != TARG_TYPE) {
                compile_error(c, t->span, "%s takes one type", name_cstr(&c->p->arena, t->name));
                return out;
            }
            t = t->args.v[0].type;
        }
        if (out[i].mode == PM_REPEATED && i != l->n - 1)
            compile_error(c, l->v[i].type->span, "%s", "only the last parameter can be repeated");
        if (out[i].mode == PM_ONE && i && out[i - 1].mode == PM_OPTIONAL)
            compile_error(c, l->v[i].type->span, "%s", "a parameter after an optional one must be optional too");
        if (!c->failed)
            out[i].pat = compile_pattern(c, t);
    }
    return out;
}

/* ---- Result expressions ---- */

typedef const Type *(*RuleFn)(void *ev, const TypeExpr *t);

typedef struct RuleName {
    const char *name;
    int min, max;  /* arguments; -1: any number */
} RuleName;

/* Rules the checker computes (docs/stdlib.md, "Signatures"). */
static const RuleName rules[] = {
    {"supertype", 1, -1}, {"branches", 1, 1}, {"element", 1, 1}, {"key", 1, 1}, {"value", 1, 1},
    {"plus", 2, 2}, {"minus", 2, 2}, {"multiply", 2, 2}, {"divide", 2, 2}, {"intDiv", 2, 2}, {"modulo", 2, 2},
    {"bitwise", 2, 2}, {"negate", 1, 1}, {"abs", 1, 1}, {"sum", 1, 1}, {"lambda", 1, 1}, {"type", 1, 1},
    {"field", 2, 2}, {"nullable", 1, 1}, {"notnull", 1, 1}, {"tuple", 0, -1}, {"Unknown", 0, 0},
    {"logical", 1, -1}, {"coalesce", 1, -1}, {"elements", 1, -1}, {"nulls_of", 2, 2}, {"numeric", 1, -1},
    {"Array", 1, 1}, {"Nullable", 1, 1}, {"LowCardinality", 1, 1}, {"Map", 2, 2}, {"Tuple", 1, -1},
    {"DateTime", 0, 1}, {"DateTime64", 1, 2}, {"Decimal", 2, 2}, {"Decimal32", 1, 1}, {"Decimal64", 1, 1},
    {"Decimal128", 1, 1}, {"Decimal256", 1, 1}, {"FixedString", 1, 1},
};

static const RuleName *find_rule(Name n)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (name_is(n, rules[i].name))
            return &rules[i];
    return NULL;
}

static int param_index(const Signature *s, Name n)
{
    for (int i = 0; i < s->nparams; i++)
        if (name_eq(s->params[i].name, n))
            return i;
    return -1;
}

static bool is_interval_name(Name n)
{
    return n.len > 8 && memcmp(n.s, "Interval", 8) == 0;
}

static bool is_lower_rule(const RuleName *r)
{
    return r->name[0] >= 'a' && r->name[0] <= 'z';
}

/* Every name in a result is a parameter, a rule or a type. Returns whether
 * t is a plain type (no parameter, no rule): in the library, its meaning
 * is read once and kept in t->resolved. */
static bool check_result(Compiler *c, const Signature *s, TypeExpr *t, int depth)
{
    if (c->failed || depth > 16)
        return false;
    if (!t->has_parens && !t->args.n && (param_index(s, t->name) >= 0 || is_interval_name(t->name)))
        return false;
    const RuleName *rule = find_rule(t->name);
    bool plain = true;
    if (rule && (t->has_parens || rule->min == 0)) {
        if (t->args.n < rule->min || (rule->max >= 0 && t->args.n > rule->max)) {
            compile_error(c, t->span, "'%s' has the wrong number of arguments", rule->name);
            return false;
        }
        for (int i = 0; i < t->args.n; i++)
            if (t->args.v[i].kind == TARG_TYPE || t->args.v[i].kind == TARG_FIELD)
                plain &= check_result(c, s, t->args.v[i].type, depth + 1);
        if (is_lower_rule(rule) || !plain)
            return false;
    }
    const Type *type = type_from_syntax_quiet(c->p, c->d->file, t);
    if (!type && !rule) {
        c->failed = true;
        if (c->report && !type_from_syntax(c->p, c->d->file, t, t->span))
            explain_signature(c, "a result names a parameter, a rule or a type (docs/stdlib.md)");
    }
    if (type && c->d->file->builtin)
        t->resolved = type;
    return type != NULL;
}

/* ---- Attributes ---- */

static const Expr *attribute(const Decl *d, const char *key)
{
    for (int i = 0; i < d->attrs.n; i++)
        if (name_is(d->attrs.v[i].key, key))
            return d->attrs.v[i].value;
    return NULL;
}

static bool attribute_is(Compiler *c, const char *key, const char *value)
{
    const Expr *e = attribute(c->d, key);
    if (!e || e->kind != EX_STRING)
        return false;
    const char *v = c->d->file->text + e->span.off + 1;
    return e->span.len == strlen(value) + 2 && memcmp(v, value, strlen(value)) == 0;
}

static void read_version(Compiler *c, const char *key, int *major, int *minor)
{
    const Expr *e = attribute(c->d, key);
    if (!e || e->kind != EX_STRING || e->span.len > 16)
        return;
    char text[17];
    memcpy(text, c->d->file->text + e->span.off + 1, e->span.len - 2);
    text[e->span.len - 2] = 0;
    *major = atoi(text);
    const char *dot = strchr(text, '.');
    *minor = dot ? atoi(dot + 1) : 0;
}

static void read_policies(Compiler *c, Signature *s)
{
    bool aggregate = c->d->kind == DECL_AGGREGATE;
    s->nulls = aggregate ? NULLS_SKIP : NULLS_PROPAGATE;
    s->lowcard = aggregate ? LC_DROP : LC_KEEP;
    static const char *const nulls[] = {"propagate", "self", "skip", "ignore"};
    static const char *const lowcard[] = {"keep", "drop", "self"};
    const Expr *n = attribute(c->d, "nulls"), *l = attribute(c->d, "lowcardinality");
    bool known_n = !n, known_l = !l;
    for (int i = 0; i < 4; i++)
        if (attribute_is(c, "nulls", nulls[i]))
            s->nulls = (uint8_t)i, known_n = true;
    for (int i = 0; i < 3; i++)
        if (attribute_is(c, "lowcardinality", lowcard[i]))
            s->lowcard = (uint8_t)i, known_l = true;
    if (!known_n)
        compile_error(c, n->span, "%s", "nulls is 'propagate', 'self', 'skip' or 'ignore'");
    if (!known_l)
        compile_error(c, l->span, "%s", "lowcardinality is 'keep', 'drop' or 'self'");
    const Expr *v = attribute(c->d, "state_version");
    if (v && v->kind == EX_INTEGER)
        s->state_version = atoi(c->d->file->text + v->span.off);
    if (c->d->file->builtin) {
        read_version(c, "introduced", &s->since_major, &s->since_minor);
        read_version(c, "until", &s->until_major, &s->until_minor);
    }
}

static bool is_catch_all(const Decl *d)
{
    return d->params.n == 1 && !d->levels.n && name_is(d->ret->name, "Unknown") && !d->ret->args.n &&
           name_is(d->params.v[0].type->name, "repeated") && d->params.v[0].type->args.n == 1 &&
           d->params.v[0].type->args.v[0].kind == TARG_TYPE && name_is(d->params.v[0].type->args.v[0].type->name, "Any");
}

bool signature_compile(Project *p, Decl *d, Signature *out, bool report)
{
    Compiler c = {p, d, report, false};
    memset(out, 0, sizeof(*out));
    out->decl = d;
    out->catch_all = is_catch_all(d);
    read_policies(&c, out);
    out->params = compile_params(&c, &d->params);
    out->nparams = d->params.n;
    out->parametric = d->levels.n > 0;
    out->levels = compile_params(&c, &d->levels);
    out->nlevels = d->levels.n;
    if (!out->catch_all)
        check_result(&c, out, (TypeExpr *)d->ret, 0);
    return !c.failed;
}

/* ---- The signatures of a name, compiled on first use ---- */

const SigSet *signatures_of(Project *p, Object *f)
{
    if (f->signatures)
        return f->signatures;
    Object *head = strmap_get(&p->functions, f->name.s, f->name.len);
    if (!head || head->decl->file->builtin != f->decl->file->builtin)
        head = f;
    if (head->signatures)
        return f->signatures = head->signatures;
    int n = 0;
    for (Object *o = head; o; o = o->overload)
        n++;
    SigSet *set = arena_zalloc(&p->arena, sizeof(*set));
    set->v = arena_alloc(&p->arena, sizeof(Signature) * (size_t)n);
    for (Object *o = head; o; o = o->overload) {
        Signature *s = &set->v[set->n];
        if (!signature_compile(p, o->decl, s, false))
            continue; /* a broken library signature says nothing (tests/unit checks there are none) */
        set->typed |= !s->catch_all;
        set->n++;
    }
    /* A catch-all only names the function: typed declarations replace it. */
    if (set->typed) {
        int k = 0;
        for (int i = 0; i < set->n; i++)
            if (!set->v[i].catch_all)
                set->v[k++] = set->v[i];
        set->n = k;
    }
    head->signatures = set;
    return f->signatures = set;
}

bool signature_in_version(const Signature *s, const Options *o)
{
    if (s->since_major && !version_at_least(o, s->since_major, s->since_minor))
        return false;
    return !s->until_major || !version_at_least(o, s->until_major, s->until_minor);
}

/* ---- Matching ---- */

static const Type *strip(const Type *t)
{
    return type_base(t);
}

static bool class_matches(TypeClass cls, const Type *t)
{
    switch (cls) {
    case CLS_NUMBER: return type_is_number(t);
    case CLS_INTEGER: return type_is_integer(t) || t->kind == TY_BOOL;
    case CLS_UINTEGER: return type_is_unsigned(t) || t->kind == TY_BOOL;
    case CLS_FLOAT: return type_is_float(t);
    case CLS_DECIMAL: return t->kind == TY_DECIMAL;
    case CLS_TEXT: return t->kind == TY_STRING || t->kind == TY_FIXEDSTRING;
    case CLS_ANYDATE: return t->kind == TY_DATE || t->kind == TY_DATE32;
    case CLS_ANYDATETIME: return t->kind == TY_DATETIME || t->kind == TY_DATETIME64;
    case CLS_TEMPORAL: return type_is_temporal(t);
    case CLS_ARRAY: return t->kind == TY_ARRAY;
    case CLS_TUPLE: return t->kind == TY_TUPLE;
    case CLS_MAP: return t->kind == TY_MAP;
    case CLS_STATE: return t->kind == TY_AGGREGATE;
    case CLS_INTERVAL: return t->kind == TY_INTERVAL;
    case CLS_ENUM: return t->kind == TY_ENUM8 || t->kind == TY_ENUM16;
    case CLS_IP: return t->kind == TY_IPV4 || t->kind == TY_IPV6;
    case CLS_DATETIME: return t->kind == TY_DATETIME;
    case CLS_DATETIME64: return t->kind == TY_DATETIME64;
    case CLS_FIXEDSTRING: return t->kind == TY_FIXEDSTRING;
    case CLS_COUNT: break;
    }
    return false;
}

/* Patterns describe values whatever their NULLs and dictionaries: the
 * wrappers are looked through at every level. Nothing (the elements of
 * `[]`) fits everything. */
static bool pattern_matches(const Pattern *pat, const Type *t)
{
    t = strip(t);
    if (pat->kind == PAT_ANY || t->kind == TY_NOTHING)
        return true;
    switch ((PatKind)pat->kind) {
    case PAT_CLASS: return class_matches((TypeClass)pat->cls, t);
    case PAT_TYPE: return strip(pat->type) == t;
    case PAT_ONEOF:
        for (int i = 0; i < pat->n; i++)
            if (pattern_matches(pat->sub[i], t))
                return true;
        return false;
    case PAT_ARRAY: return t->kind == TY_ARRAY && pattern_matches(pat->sub[0], t->elems[0]);
    case PAT_MAP:
        return t->kind == TY_MAP && pattern_matches(pat->sub[0], t->elems[0]) && pattern_matches(pat->sub[1], t->elems[1]);
    default: return false;
    }
}

static bool arg_matches(const Pattern *pat, const SigArg *a)
{
    bool is_lambda = a->expr && a->expr->kind == EX_LAMBDA;
    if (pat->kind == PAT_LAMBDA || is_lambda)
        return pat->kind == PAT_LAMBDA && is_lambda;
    return !a->type || pattern_matches(pat, a->type);
}

static MatchStatus bind(const SigParam *params, int np, const SigArg *args, int n, int *param_of, Mismatch *why)
{
    int required = 0;
    bool repeated = np && params[np - 1].mode == PM_REPEATED;
    for (int i = 0; i < np; i++)
        required += params[i].mode == PM_ONE;
    if (n < required || (!repeated && n > np)) {
        why->status = MATCH_COUNT;
        return MATCH_COUNT;
    }
    for (int i = 0; i < n; i++) {
        int k = i < np ? i : np - 1;
        if (param_of)
            param_of[i] = k;
        if (!arg_matches(params[k].pat, &args[i])) {
            why->status = MATCH_KIND;
            why->arg = i;
            why->param = &params[k];
            return MATCH_KIND;
        }
    }
    return MATCH_OK;
}

MatchStatus signature_match(const Signature *s, const SigCall *c, int *param_of, Mismatch *why)
{
    Mismatch ignored;
    if (!why)
        why = &ignored;
    why->status = MATCH_OK;
    if (c->has_levels && !s->parametric)
        return why->status = MATCH_LEVELS;
    if (s->parametric && c->has_levels) {
        Mismatch level;
        if (bind(s->levels, s->nlevels, c->levels, c->nlevels, NULL, &level) != MATCH_OK) {
            *why = level;
            return why->status = MATCH_LEVELS;
        }
    } else if (s->parametric) {
        Mismatch level;
        if (bind(s->levels, s->nlevels, NULL, 0, NULL, &level) != MATCH_OK)
            return why->status = MATCH_LEVELS; /* quantiles(x) needs its levels */
    }
    return bind(s->params, s->nparams, c->args, c->n, param_of, why);
}

/* ---- Literals ---- */

static const Expr *unalias(const Expr *e)
{
    while (e && e->kind == EX_ALIAS)
        e = e->u.x.a;
    return e;
}

const char *literal_string(Project *p, const char *src, const Expr *e)
{
    e = unalias(e);
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

bool literal_int(const char *src, const Expr *e, long long *v)
{
    e = unalias(e);
    bool negative = false;
    if (e && e->kind == EX_UNARY && e->op == OP_NEG) {
        negative = true;
        e = unalias(e->u.x.a);
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
    int k = param_index(ev->s, t->name), first;
    if (k < 0 || bound_args(ev, k, &first) != 1)
        return NULL;
    return &ev->c->args[first];
}

static bool is_param_ref(const Eval *ev, const TypeExpr *t)
{
    return !t->has_parens && !t->args.n && param_index(ev->s, t->name) >= 0;
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
            int first, count = bound_args(ev, param_index(ev->s, t->name), &first);
            for (int k = 0; k < ev->c->n && count; k++) {
                if (ev->param_of[k] != param_index(ev->s, t->name))
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
    return arg && literal_int(ev->c->src, arg->expr, v);
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
    if (bound_args(ev, param_index(ev->s, a->type->name), &first) == 0)
        return true;
    const SigArg *arg = single_arg(ev, a->type);
    if (!arg)
        return false;
    const Type *at = arg->type ? strip(arg->type) : NULL;
    if (at && (at->kind == TY_DATETIME || at->kind == TY_DATETIME64)) {
        *tz = at->tz;
        return true;
    }
    return (*tz = literal_string(ev->c->p, ev->c->src, arg->expr)) != NULL;
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
    if (literal_int(ev->c->src, which->expr, &i))
        return i >= 1 && i <= tuple->n ? tuple->elems[i - 1] : NULL;
    const char *name = literal_string(ev->c->p, ev->c->src, which->expr);
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
    return r && nullable ? type_make_nullable(ev->c->p, r) : r;
}

static Arith arith_of(Name n)
{
    return name_is(n, "plus") ? AR_PLUS : name_is(n, "minus") ? AR_MINUS : name_is(n, "multiply") ? AR_MULTIPLY
         : name_is(n, "divide") ? AR_DIVIDE : name_is(n, "intDiv") ? AR_INTDIV : name_is(n, "modulo") ? AR_MODULO
         : AR_BIT;
}

static const Type *constructor(Eval *ev, const TypeExpr *t, int depth)
{
    Project *p = ev->c->p;
    TypeTable *tt = &p->types;
    long long a, b;
    const char *tz;
    if (name_is(t->name, "Array") || name_is(t->name, "Nullable") || name_is(t->name, "LowCardinality")) {
        const Type *x = eval_arg(ev, t, 0, depth);
        if (!x)
            return NULL;
        if (name_is(t->name, "Array"))
            return type_wrap(tt, TY_ARRAY, x);
        if (name_is(t->name, "Nullable"))
            return type_make_nullable(p, x);
        if (x->kind == TY_LOWCARDINALITY)
            return x;
        return type_can_be_lowcard(x) ? type_wrap(tt, TY_LOWCARDINALITY, x) : NULL;
    }
    if (name_is(t->name, "Map")) {
        const Type *kv[2] = {eval_arg(ev, t, 0, depth), eval_arg(ev, t, 1, depth)};
        Type m = {.kind = TY_MAP, .elems = kv, .n = 2};
        return kv[0] && kv[1] ? type_intern(tt, &m) : NULL;
    }
    if (name_is(t->name, "Tuple") || name_is(t->name, "tuple")) {
        const Type *elems[64];
        int n = eval_list(ev, &t->args, elems, 64, depth);
        Type tup = {.kind = TY_TUPLE, .elems = elems, .n = n};
        return n > 0 ? type_intern(tt, &tup) : NULL;
    }
    if (name_is(t->name, "DateTime")) {
        if (!tz_arg(ev, t, 0, &tz))
            return NULL;
        Type d = {.kind = TY_DATETIME, .tz = tz};
        return type_intern(tt, &d);
    }
    if (name_is(t->name, "DateTime64")) {
        if (!int_arg(ev, t, 0, &a) || a < 0 || a > 9 || !tz_arg(ev, t, 1, &tz))
            return NULL;
        Type d = {.kind = TY_DATETIME64, .precision = (int)a, .tz = tz};
        return type_intern(tt, &d);
    }
    if (name_is(t->name, "FixedString")) {
        if (!int_arg(ev, t, 0, &a) || a < 1 || a > (1 << 20))
            return NULL;
        Type f = {.kind = TY_FIXEDSTRING, .precision = (int)a};
        return type_intern(tt, &f);
    }
    int bucket = name_is(t->name, "Decimal32") ? 9 : name_is(t->name, "Decimal64") ? 18
               : name_is(t->name, "Decimal128") ? 38 : name_is(t->name, "Decimal256") ? 76 : 0;
    if (bucket) {
        if (!int_arg(ev, t, 0, &a) || a < 0 || a > bucket)
            return NULL;
        Type d = {.kind = TY_DECIMAL, .precision = bucket, .scale = (int)a};
        return type_intern(tt, &d);
    }
    /* Decimal(P, S) */
    if (!int_arg(ev, t, 0, &a) || !int_arg(ev, t, 1, &b) || a < 1 || a > 76 || b < 0 || b > a)
        return NULL;
    Type d = {.kind = TY_DECIMAL, .precision = (int)a, .scale = (int)b};
    return type_intern(tt, &d);
}

static const Type *rule(Eval *ev, const TypeExpr *t, int depth)
{
    Project *p = ev->c->p;
    Name n = t->name;
    if (name_is(n, "Unknown"))
        return NULL;
    if (name_is(n, "supertype") || name_is(n, "numeric")) {
        const Type *types[64];
        int k = eval_list(ev, &t->args, types, 64, depth);
        if (k <= 0)
            return NULL;
        return name_is(n, "numeric") ? promote_numeric_supertype(p, types, k) : promote_supertype(p, types, k);
    }
    if (name_is(n, "branches"))
        return branches_rule(ev, t, depth);
    if (name_is(n, "elements"))
        return elements_rule(ev, t, depth);
    if (name_is(n, "logical") || name_is(n, "coalesce"))
        return name_is(n, "logical") ? logical_rule(ev, t, depth) : coalesce_rule(ev, t, depth);
    if (name_is(n, "lambda"))
        return lambda_rule(ev, t);
    if (name_is(n, "field"))
        return field_rule(ev, t, depth);
    if (name_is(n, "type")) {
        const SigArg *a = t->args.v[0].kind == TARG_TYPE ? single_arg(ev, t->args.v[0].type) : NULL;
        const char *text = a ? literal_string(p, ev->c->src, a->expr) : NULL;
        return text ? type_from_string(p, text) : NULL;
    }
    const Type *x = eval_arg(ev, t, 0, depth);
    if (!x)
        return NULL;
    if (name_is(n, "nulls_of")) { /* the second, Nullable when the first is */
        const Type *y = eval_arg(ev, t, 1, depth);
        const Type *nx = x->kind == TY_LOWCARDINALITY ? x->elems[0] : x;
        return y && nx->kind == TY_NULLABLE ? type_make_nullable(p, y) : y;
    }
    if (name_is(n, "nullable"))
        return type_make_nullable(p, x);
    if (name_is(n, "notnull"))
        return x->kind == TY_NULLABLE ? x->elems[0] : x;
    x = strip(x);
    if (name_is(n, "element"))
        return x->kind == TY_ARRAY ? x->elems[0] : x->kind == TY_NOTHING ? x : NULL;
    if (name_is(n, "key") || name_is(n, "value"))
        return x->kind == TY_MAP ? x->elems[name_is(n, "value")] : NULL;
    if (name_is(n, "negate"))
        return promote_negate(p, x);
    if (name_is(n, "abs"))
        return promote_abs(p, x);
    if (name_is(n, "sum"))
        return promote_sum(p, x);
    const Type *y = eval_arg(ev, t, 1, depth);
    return y ? promote_arith(p, arith_of(n), x, strip(y)) : NULL;
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
    if (!t->has_parens && !t->args.n && is_interval_name(t->name))
        return interval_type(ev, t->name);
    const RuleName *r = find_rule(t->name);
    if (r && (t->has_parens || r->min == 0) && !name_is(t->name, "Unknown")) {
        if (!is_lower_rule(r)) {
            /* Array(String) is a plain type; Array(x) needs the evaluator. */
            const Type *plain = ev->s->decl->file->builtin ? NULL
                              : type_from_syntax_quiet(ev->c->p, ev->s->decl->file, t);
            return plain ? plain : constructor(ev, t, depth);
        }
        return rule(ev, t, depth);
    }
    if (name_is(t->name, "Unknown"))
        return NULL;
    return type_from_syntax_quiet(ev->c->p, ev->s->decl->file, t);
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

/* ---- Calls ---- */

static bool any_unknown(const SigCall *c)
{
    for (int i = 0; i < c->n; i++)
        if (!c->args[i].type && !(c->args[i].expr && c->args[i].expr->kind == EX_LAMBDA))
            return true;
    return false;
}

/* The overload that applies: the first that matches. With unknown
 * arguments, several may match: the result is known only when they agree. */
const Signature *signature_pick(const SigSet *set, const SigCall *c, const Type **result)
{
    *result = NULL;
    int param_of[256];
    if (c->n > 256)
        return NULL;
    bool unknown = any_unknown(c);
    const Signature *first = NULL;
    for (int i = 0; i < set->n; i++) {
        const Signature *s = &set->v[i];
        if (!signature_in_version(s, &c->p->options) || signature_match(s, c, param_of, NULL) != MATCH_OK)
            continue;
        const Type *r = signature_result(s, c, param_of);
        if (!first) {
            first = s;
            *result = r;
            if (!unknown)
                return s;
        } else if (r != *result) {
            *result = NULL;
            return first;
        }
    }
    return first;
}

static bool is_null_literal_type(const Type *t)
{
    return t && t->kind == TY_NULLABLE && t->elems[0]->kind == TY_NOTHING;
}

/* ClickHouse runs a function on a LowCardinality dictionary when one
 * argument is a LowCardinality column and every other is a constant. */
static bool runs_on_dictionary(const SigCall *c)
{
    int lowcard = 0, full = 0;
    for (int i = 0; i < c->n; i++) {
        const Type *t = c->args[i].type;
        if (c->args[i].is_const || !t)
            continue;
        if (t->kind == TY_LOWCARDINALITY)
            lowcard++;
        else
            full++;
    }
    return lowcard == 1 && full == 0;
}

/* One overload of a plain function: its NULL and LowCardinality rules
 * unwrap the arguments, the signature types the rest, and the wrappers
 * come back around the result. */
static bool apply_one(const Signature *s, const SigCall *c, SigArg *args, const Type **result)
{
    bool nullable = false, only_null = false, lowcard = false;
    for (int i = 0; i < c->n; i++) {
        args[i] = c->args[i];
        const Type *t = args[i].type;
        if (t && t->kind == TY_LOWCARDINALITY && s->lowcard != LC_SELF) {
            lowcard = true;
            t = t->elems[0];
        }
        if (t && t->kind == TY_NULLABLE && s->nulls == NULLS_PROPAGATE) {
            nullable = true;
            only_null |= is_null_literal_type(t);
            t = t->elems[0];
        }
        args[i].type = t;
    }
    SigCall plain = *c;
    plain.args = args;
    int param_of[256];
    if (signature_match(s, &plain, param_of, NULL) != MATCH_OK)
        return false;
    const Type *r = signature_result(s, &plain, param_of);
    if (only_null)
        r = type_wrap(&c->p->types, TY_NULLABLE, type_simple(&c->p->types, TY_NOTHING));
    else if (r && nullable)
        r = type_make_nullable(c->p, r);
    if (r && lowcard && s->lowcard == LC_KEEP && runs_on_dictionary(c) && type_can_be_lowcard(r))
        r = type_wrap(&c->p->types, TY_LOWCARDINALITY, r);
    *result = r;
    return true;
}

const Type *signature_call(const SigSet *set, const SigCall *c)
{
    if (!set->typed || c->n > 256)
        return NULL;
    SigArg args[256];
    bool unknown = any_unknown(c), matched = false;
    const Type *result = NULL;
    for (int i = 0; i < set->n; i++) {
        const Type *r;
        if (!signature_in_version(&set->v[i], &c->p->options) || !apply_one(&set->v[i], c, args, &r))
            continue;
        if (!matched && !unknown)
            return r;
        if (matched && r != result)
            return NULL;
        matched = true;
        result = r;
    }
    return result;
}

const char *pattern_text(Project *p, const Signature *s, const Pattern *pat)
{
    return arena_strndup(&p->arena, s->decl->file->text + pat->text->span.off, pat->text->span.len);
}
