/* Signatures: compiling a declaration's parameter types into patterns,
 * matching calls against them, and evaluating result expressions. The
 * language is documented in docs/stdlib.md. */
#include "typing/signature.h"

#include <stdlib.h>
#include <string.h>

#include "typing/promote.h"
#include "typing/typesyntax.h"
#include "project/versions.h"

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
    const Type *type = typesyntax_read_quiet(c->p, c->d->file, t);
    if (!type) {
        c->failed = true;
        if (c->report && !typesyntax_read(c->p, c->d->file, t, t->span)) /* says why, with a suggestion */
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

/* Every name in a result is a parameter, a rule or a type. Returns whether
 * t is a plain type (no parameter, no rule): in the library, its meaning
 * is read once and kept in t->resolved. */
static bool check_result(Compiler *c, const Signature *s, TypeExpr *t, int depth)
{
    if (c->failed || depth > 16)
        return false;
    if (!t->has_parens && !t->args.n && (signature_param_index(s, t->name) >= 0 || signature_is_interval_name(t->name)))
        return false;
    const RuleName *rule = signature_rule(t->name);
    bool plain = true;
    if (rule && (t->has_parens || rule->min == 0)) {
        if (t->args.n < rule->min || (rule->max >= 0 && t->args.n > rule->max)) {
            compile_error(c, t->span, "'%s' has the wrong number of arguments", rule->name);
            return false;
        }
        for (int i = 0; i < t->args.n; i++)
            if (t->args.v[i].kind == TARG_TYPE || t->args.v[i].kind == TARG_FIELD)
                plain &= check_result(c, s, t->args.v[i].type, depth + 1);
        if (!signature_rule_is_constructor(rule) || !plain)
            return false;
    }
    const Type *type = typesyntax_read_quiet(c->p, c->d->file, t);
    if (!type && !rule) {
        c->failed = true;
        if (c->report && !typesyntax_read(c->p, c->d->file, t, t->span))
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
        if (!o->decl->ret)
            continue; /* an untyped UDF: infer.c types each call from its body */
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
    return promote_unwrap(t);
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
    *why = (Mismatch){0};
    if (c->has_levels && !s->parametric)
        return why->status = MATCH_LEVELS;
    if (s->parametric && c->has_levels) {
        Mismatch level = {0}; /* param stays NULL for a count: set for a parameter of the wrong kind */
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
        r = promote_make_nullable(c->p, r);
    if (r && lowcard && s->lowcard == LC_KEEP && runs_on_dictionary(c) && promote_can_be_lowcard(r))
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

