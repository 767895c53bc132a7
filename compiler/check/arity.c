/* The arity check: calls whose arguments no signature of the function
 * takes. The message says what is wrong; the notes show the signatures. */
#include "check/arity.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "typing/agg_bounds.h"
#include "typing/aggregate.h"
#include "check/infer.h"
#include "typing/signature.h"

enum { MAX_NOTES = 4 };

static bool word_at(const char *s, uint32_t i, uint32_t end, const char *w)
{
    size_t n = strlen(w);
    return i + n < end && strncasecmp(s + i, w, n) == 0 && (s[i + n] == ' ' || s[i + n] == '\n');
}

/* `toStartOfHour(t DateTime, tz optional(String)) -> DateTime(t)`, as the
 * library writes it, on one line and without its settings. */
static const char *signature_text(Project *p, const Signature *s)
{
    const Decl *d = s->decl;
    const char *src = d->file->text;
    uint32_t from = d->name.span.off, to = d->span.off + d->span.len;
    char *out = arena_alloc(&p->scratch, to - from + 1);
    size_t k = 0;
    bool space = false;
    int depth = 0;
    for (uint32_t i = from; i < to; i++) {
        char c = src[i];
        if (c == ';' || (depth == 0 && space && (word_at(src, i, to, "settings") || c == '=')))
            break;
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = k > 0;
            continue;
        }
        if (space && c != ')' && out[k - 1] != '(')
            out[k++] = ' ';
        space = false;
        out[k++] = c;
    }
    out[k] = 0;
    return out;
}

static void note_signatures(Project *p, Diag *g, const SigSet *set)
{
    int shown = 0, total = 0;
    for (int i = 0; i < set->n; i++) {
        if (!signature_in_version(&set->v[i], &p->options))
            continue;
        if (++total <= MAX_NOTES)
            diag_note(&p->diags, g, NULL, (Span){0}, "%s", signature_text(p, &set->v[i])), shown++;
    }
    if (total > shown)
        diag_note(&p->diags, g, NULL, (Span){0}, "and %d more forms", total - shown);
}

/* "1 argument", "1 or 2 arguments", "at least 2 arguments" ... */
static const char *count_text(Project *p, const SigSet *set, bool levels, int extra)
{
    int lo = -1, hi = 0;
    for (int i = 0; i < set->n; i++) {
        const Signature *s = &set->v[i];
        if (!signature_in_version(s, &p->options))
            continue;
        const SigParam *ps = levels ? s->levels : s->params;
        int n = levels ? s->nlevels : s->nparams, need = 0, most = n;
        for (int k = 0; k < n; k++)
            need += ps[k].mode == PM_ONE;
        if (n && ps[n - 1].mode == PM_REPEATED)
            most = -1;
        need += extra;
        most = most < 0 ? -1 : most + extra;
        lo = lo < 0 || need < lo ? need : lo;
        hi = hi < 0 || most < 0 ? -1 : most > hi ? most : hi;
    }
    const char *what = levels ? "parameter" : "argument";
    if (hi < 0)
        return arena_printf(&p->scratch, "at least %d %s%s", lo, what, lo == 1 ? "" : "s");
    if (lo == hi)
        return lo == 0 ? arena_printf(&p->scratch, "no %ss", what)
                       : arena_printf(&p->scratch, "%d %s%s", lo, what, lo == 1 ? "" : "s");
    return arena_printf(&p->scratch, "%d %s %d %ss", lo, hi == lo + 1 ? "or" : "to", hi, what);
}

static const char *type_text(const Type *t)
{
    return t ? t->name : "a value of unknown type";
}

/* ---- Plain functions ---- */

static int lambda_params(const Expr *lambda)
{
    const Expr *head = lambda->u.x.a;
    return head->kind == EX_TUPLE ? head->u.list.items.n : 1;
}

/* A lambda runs once per element of the arrays after it (key and value of
 * a map, or the entry as one tuple): it takes one parameter per array. Checked only when every
 * argument after it is a known array or map (arrayFold's is not). */
static void check_lambda(Project *p, const Expr *e, const SigCall *c, SourceFile *file, const char *fn)
{
    for (int i = 0; i < c->n; i++) {
        const Expr *l = c->args[i].expr;
        if (!l || l->kind != EX_LAMBDA)
            continue;
        int want = 0, as_tuples = 0;
        for (int k = i + 1; k < c->n; k++) {
            const Type *t = c->args[k].type;
            while (t && (t->kind == TY_LOWCARDINALITY || t->kind == TY_NULLABLE))
                t = t->elems[0];
            if (!t || (t->kind != TY_ARRAY && t->kind != TY_MAP))
                return;
            want += t->kind == TY_MAP ? 2 : 1;
            as_tuples += 1;
        }
        /* A map's entry may also come as one (key, value) tuple:
         * mapFilter(e -> e.1 = 'a', m) (chDB 26.5). */
        if (want && lambda_params(l) != want && lambda_params(l) != as_tuples)
            diag_error(&p->diags, "arity", file, e->u.call.args.v[i]->span,
                       "the lambda of '%s' takes %d parameter%s, but '%s' passes it %d: one per element of "
                       "each array after it", fn, lambda_params(l), lambda_params(l) == 1 ? "" : "s", fn, want);
        return;
    }
}

static void check_function(Project *p, const Expr *e, const SigSet *set, const SigCall *c, SourceFile *file)
{
    const char *fn = arena_strndup(&p->scratch, e->name.s, e->name.len);
    if (e->flags & EF_PARAMETRIC) {
        Diag *g = diag_error(&p->diags, "arity", file, e->name.span, "'%s' takes no parameters: only aggregates do", fn);
        note_signatures(p, g, set);
        return;
    }
    Mismatch first = {0};
    bool count_fits = false;
    for (int i = 0; i < set->n; i++) {
        Mismatch why;
        if (!signature_in_version(&set->v[i], &p->options))
            continue;
        if (signature_match(&set->v[i], c, NULL, &why) == MATCH_OK) {
            check_lambda(p, e, c, file, fn);
            return;
        }
        if (why.status == MATCH_KIND && !count_fits) {
            first = why;
            count_fits = true;
        }
    }
    Diag *g;
    if (!count_fits) {
        g = diag_error(&p->diags, "arity", file, e->name.span, "'%s' takes %s, not %d", fn,
                       count_text(p, set, false, 0), c->n);
    } else if (first.param->pat->kind == PAT_LAMBDA) {
        g = diag_error(&p->diags, "arity", file, e->u.call.args.v[first.arg]->span,
                       "'%s' needs a lambda as argument %d, such as x -> x + 1", fn, first.arg + 1);
    } else if (c->args[first.arg].expr && c->args[first.arg].expr->kind == EX_LAMBDA) {
        g = diag_error(&p->diags, "arity", file, e->u.call.args.v[first.arg]->span,
                       "'%s' does not take a lambda as argument %d", fn, first.arg + 1);
    } else {
        g = diag_error(&p->diags, "arity", file, e->u.call.args.v[first.arg]->span,
                       "'%s' cannot take %s as argument %d", fn, type_text(c->args[first.arg].type), first.arg + 1);
    }
    note_signatures(p, g, set);
}

/* ---- Aggregates ---- */

static Span arg_span(const Expr *e, int i)
{
    return i >= 0 && i < e->u.call.args.n ? e->u.call.args.v[i]->span : e->name.span;
}

/* How many times a chain of combinators holds one: each -If adds a
 * condition argument, each -Resample a key argument and 3 parameters. */
static int occurrences(const char *suffixes, const char *combinator)
{
    int n = 0;
    size_t len = strlen(combinator);
    for (const char *s = strstr(suffixes, combinator); s; s = strstr(s + len, combinator))
        n++;
    return n;
}

/* A parameter as written: 200, -1, 1.5 (an expression says nothing). */
static AggParam param_of(const Expr *e, const char *src, Arena *a)
{
    bool negative = e->kind == EX_UNARY && e->op == OP_NEG;
    const Expr *lit = negative ? e->u.x.a : e;
    if (lit->kind != EX_INTEGER && lit->kind != EX_FLOAT)
        return (AggParam){0};
    return (AggParam){arena_strndup(a, src + lit->span.off, lit->span.len), negative};
}

/* Parameters out of the bounds ClickHouse checks when it builds the
 * function (agg_bounds.c): refused at the CREATE of a view or MV. Under
 * -Resample, the function's own come before its 3 (start, end, step); a
 * step of 0 is refused (69, chDB 26.5). */
static void check_bounds(Project *p, const Expr *e, SourceFile *file)
{
    const CallExtra *x = e->u.call.extra;
    if (!x || !(e->flags & EF_PARAMETRIC) || !x->params.n)
        return;
    int n = x->params.n;
    AggParam *params = arena_alloc(&p->scratch, sizeof *params * (size_t)n);
    const char **why = arena_alloc(&p->scratch, sizeof *why * (size_t)n);
    for (int i = 0; i < n; i++)
        params[i] = param_of(x->params.v[i], file->text, &p->scratch);
    aggregate_params_refused(p, e->name.s, e->name.len, params, n, why);
    for (int i = 0; i < n; i++)
        if (why[i])
            diag_error(&p->diags, "arity", file, x->params.v[i]->span, "%s", why[i]);
}

/* A parameter of a kind the function does not take (groupArray(1.5),
 * quantile('0.5')): refused when ClickHouse builds the function. A number
 * out of a bound agg_bounds.c knows (groupArray(-1)) says so instead. */
static Diag *wrong_parameter(Project *p, const Expr *e, const AggIssue *is, SourceFile *file, const char *fn)
{
    const CallExtra *x = e->u.call.extra;
    const Expr *param = x && is->arg < x->params.n ? x->params.v[is->arg] : NULL;
    Span at = param ? param->span : e->name.span;
    const char *why = param ? aggregate_param_refused(&p->scratch, &p->options, is->base, is->arg,
                                                      param_of(param, file->text, &p->scratch)) : NULL;
    if (why)
        return diag_error(&p->diags, "arity", file, at, "%s", why);
    return diag_error(&p->diags, "arity", file, at, "'%s' cannot take %s as parameter %d", fn, type_text(is->found),
                      is->arg + 1);
}

static void check_aggregate(Project *p, const Expr *e, const SigCall *c, SourceFile *file)
{
    const char *fn = arena_strndup(&p->scratch, e->name.s, e->name.len);
    AggIssue is;
    aggregate_type(c, fn, "", &is);
    const SigSet *set = NULL;
    if (is.sig) {
        Object *base = project_function(p, is.sig->decl->name.name);
        set = base ? signatures_of(p, base) : NULL;
    }
    bool combined = is.base && strcmp(is.base, fn) != 0;
    const char *suffixes = is.base ? fn + strlen(is.base) : "";
    int ifs = occurrences(suffixes, "If"), resamples = occurrences(suffixes, "Resample");
    Diag *g = NULL;
    switch (is.problem) {
    case AGG_OK: case AGG_UNKNOWN:
        check_bounds(p, e, file);
        return;
    case AGG_COUNT:
        g = diag_error(&p->diags, "arity", file, e->name.span, "'%s' takes %s, not %d", fn,
                       set ? count_text(p, set, false, ifs + resamples) : "other arguments", c->n);
        if (combined && ifs)
            diag_note(&p->diags, g, NULL, (Span){0}, "-If adds a condition after the arguments of '%s'", is.base);
        if (combined && resamples)
            diag_note(&p->diags, g, NULL, (Span){0}, "-Resample adds a key after the arguments of '%s'", is.base);
        break;
    case AGG_KIND:
        g = diag_error(&p->diags, "arity", file, arg_span(e, is.arg), "'%s' cannot take %s as argument %d", fn,
                       type_text(is.found), is.arg + 1);
        break;
    case AGG_LEVELS:
        if (is.param) {
            g = wrong_parameter(p, e, &is, file, fn);
            break;
        }
        g = diag_error(&p->diags, "arity", file, e->name.span, "'%s' takes %s, not %d", fn,
                       set ? count_text(p, set, true, 3 * resamples) : "other parameters", c->nlevels);
        if (set && !set->v[0].parametric && !resamples)
            g->msg = arena_printf(&p->arena, "'%s' takes no parameters: write %s(...), not %s(...)(...)", fn, fn, fn);
        if (resamples)
            diag_note(&p->diags, g, NULL, (Span){0}, "-Resample adds 3 parameters (start, end, step) after those of "
                      "'%s'", is.base);
        break;
    case AGG_NOT_ARRAY:
        g = diag_error(&p->diags, "arity", file, arg_span(e, is.arg), "-%s runs '%s' over arrays: argument %d of "
                       "'%s' is %s", is.combinator, is.base, is.arg + 1, fn, type_text(is.found));
        break;
    case AGG_NO_CONDITION:
        if (is.arg < 0)
            g = diag_error(&p->diags, "arity", file, e->name.span, "'%s' needs a condition as its last argument", fn);
        else
            g = diag_error(&p->diags, "arity", file, arg_span(e, is.arg), "the condition of '%s' is %s: it must be "
                           "a number (UInt8)", fn, type_text(is.found));
        break;
    case AGG_NOT_STATE:
        g = diag_error(&p->diags, "arity", file, is.arg < 0 ? e->name.span : arg_span(e, is.arg),
                       "-%s takes one state of '%s' (AggregateFunction(%s, ...)), not %s", is.combinator, is.base,
                       is.base, is.arg < 0 ? arena_printf(&p->scratch, "%d arguments", c->n) : type_text(is.found));
        break;
    case AGG_RESAMPLE:
        if (is.arg < 0)
            g = diag_error(&p->diags, "arity", file, e->name.span, "-Resample takes 3 parameters after those of '%s' "
                           "(start, end, step): '%s' has %d", is.base, fn, c->nlevels);
        else
            g = diag_error(&p->diags, "arity", file, e->name.span, "-Resample takes a key after the arguments of "
                           "'%s': '%s' has none", is.base, fn);
        break;
    case AGG_WRONG_STATE:
        g = diag_error(&p->diags, "arity", file, arg_span(e, is.arg), "'%s' merges states of '%s', not %s", fn,
                       is.base, type_text(is.found));
        break;
    }
    if (g && set && (is.problem == AGG_COUNT || is.problem == AGG_KIND || is.problem == AGG_LEVELS))
        note_signatures(p, g, set);
}

void arity_check_call(Project *p, const Scope *sc, const Expr *call, Object *f, SourceFile *file)
{
    ArenaMark mark = arena_mark(&p->scratch);
    SigCall c;
    infer_call(p, sc, call, file->text, &c);
    if (f->kind == OBJ_AGGREGATE) {
        check_aggregate(p, call, &c, file);
    } else {
        const SigSet *set = signatures_of(p, f);
        if (set && set->typed)
            check_function(p, call, set, &c, file);
    }
    arena_release(&p->scratch, mark);
}
