/* CREATE and DROP FUNCTION: ClickHouse's SQL UDFs,
 *
 *   CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] f [ON CLUSTER c] AS (x, n) -> EXPR
 *   DROP FUNCTION [IF EXISTS] f [ON CLUSTER c]
 *
 * become untyped `function f(x, n) = EXPR;` declarations (docs/language.md,
 * "function"): ClickHouse's UDFs have no types, and mvdc types each call
 * from the body. Functions have no database, so they are kept in their own
 * list, apart from the objects of databases; write.c puts them at the top
 * of the first file. */
#include <string.h>

#include "import/imp.h"
#include "parser.h"
#include "syntax/walk.h"

/* Function names are case-sensitive, as on the server (name_eq). */
static ImpObject *function_find(Import *im, Name name)
{
    for (int i = 0; i < im->functions.n; i++) {
        ImpObject *f = im->functions.v[i];
        if (!f->dropped && name_eq(f->name.name, name))
            return f;
    }
    return NULL;
}

/* The lambda's parameters as the untyped declaration's: `x` or `(x, n)`,
 * each a plain name. False when it is anything else. */
static bool lambda_params(Import *im, const Expr *lhs, ParamList *out)
{
    if (lhs->kind == EX_TUPLE) {
        for (int i = 0; i < lhs->u.list.items.n; i++)
            if (!lambda_params(im, lhs->u.list.items.v[i], out))
                return false;
        return true;
    }
    if (lhs->kind != EX_COLUMN || lhs->u.path.parts.n != 1)
        return false;
    *LIST_PUSH(&im->arena, out) = (Param){lhs->name, NULL};
    return true;
}

/* The declaration of `f AS lambda`, c at the lambda; NULL after a report. */
static Decl *function_decl(Import *im, const Stmt *st, Cur *c, Name name, const char **src)
{
    if (cursor_at_end(c)) {
        replay_error(im, st->file, cursor_span(c), "expected AS (parameters) -> expression");
        return NULL;
    }
    uint32_t end = st->span.off + st->span.len;
    Decl *d = wrap_piece(im, st, cursor_tok(c)->t.off, end, "function _(_) =", ";", src);
    if (!d) {
        im->not_imported++;
        return NULL;
    }
    Expr *lambda = d->body;
    while (lambda && lambda->kind == EX_LAMBDA && (lambda->flags & EF_PARENS))
        lambda->flags &= (uint16_t)~EF_PARENS; /* AS ((x) -> x) */
    ParamList params = {0};
    if (!lambda || lambda->kind != EX_LAMBDA || !lambda_params(im, lambda->u.x.a, &params)) {
        replay_error(im, st->file, cursor_span(c), /* d's spans are in the wrapped text */
                     "expected AS (parameters) -> expression, each parameter a name");
        return NULL;
    }
    if (!params.n) {
        Diag *g = replay_error(im, st->file, cursor_span(c),
                               "a SQL function without parameters cannot be expressed in .mvd yet: not imported");
        diag_note(&im->diags, g, NULL, (Span){0}, "declare it typed, e.g. `function f() -> UInt8 = 1;`");
        return NULL;
    }
    Expr *body = lambda->u.x.b;
    /* The server keeps an operator body in parentheses (`x -> (x + 1)`)
     * that the DDL did not write: the same function either way. */
    if (im->server)
        body->flags &= (uint16_t)~EF_PARENS;
    d->name = (QName){.name = name, .span = name.span};
    d->params = params;
    d->body = body;
    im->applied++;
    return d;
}

void replay_function_create(Import *im, const Stmt *st, Cur *c, bool replace)
{
    bool if_not_exists = cursor_accept_seq(c, "IF NOT EXISTS");
    Name name;
    if (!cursor_name(c, &im->arena, &name)) {
        replay_error(im, st->file, cursor_span(c), "expected the function's name");
        return;
    }
    cursor_skip_cluster(c);
    ImpObject *old = function_find(im, name);
    if (old && !replace) {
        if (if_not_exists) {
            im->applied++;
            return;
        }
        Diag *g = replay_error(im, st->file, name.span,
                               "function %.*s already exists: ClickHouse refuses this CREATE (code 609)",
                               (int)name.len, name.s);
        diag_note(&im->diags, g, old->file, old->where, "created here");
        return;
    }
    if (!cursor_accept(c, "AS")) {
        replay_error(im, st->file, cursor_span(c), "expected AS (parameters) -> expression");
        return;
    }
    const char *src;
    Decl *d = function_decl(im, st, c, name, &src);
    if (!d)
        return;
    ImpObject *o = object_new(im, IMP_FUNCTION, d->name, st);
    o->decl = d;
    o->src = src;
    if (old)
        old->dropped = true; /* OR REPLACE: the new body under the name */
    *LIST_PUSH(&im->arena, &im->functions) = o;
}

void replay_function_drop(Import *im, const Stmt *st, Cur *c)
{
    bool if_exists = cursor_accept_seq(c, "IF EXISTS");
    Name name;
    if (!cursor_name(c, &im->arena, &name)) {
        replay_error(im, st->file, cursor_span(c), "expected the function's name");
        return;
    }
    ImpObject *f = function_find(im, name);
    if (f)
        f->dropped = true;
    else if (!if_exists)
        diag_warning(&im->diags, "import", st->file, name.span,
                     "DROP of function %.*s, which the chain never created (ClickHouse refuses it, code 46)",
                     (int)name.len, name.s);
    im->applied++;
}

/* ---- Views that call a function the chain later replaced or dropped ---- */

typedef struct StaleWalk {
    Import *im;
    const ImpObject *view;
    ObjList reported; /* each function once per view */
} StaleWalk;

static WalkResult into_subquery(Walker *w, Select *q)
{
    (void)w;
    (void)q;
    return WALK_CONTINUE;
}

static WalkResult stale_call(Walker *w, Expr *e)
{
    StaleWalk *s = w->ctx;
    if (e->kind != EX_CALL)
        return WALK_CONTINUE;
    Import *im = s->im;
    const ImpObject *seen = NULL; /* the version the view's CREATE called */
    for (int i = 0; i < im->functions.n; i++) {
        const ImpObject *f = im->functions.v[i];
        if (f->seq < s->view->seq && name_eq(e->name, f->name.name))
            seen = f;
    }
    for (int i = 0; seen && i < s->reported.n; i++)
        if (s->reported.v[i] == seen)
            seen = NULL;
    if (seen && seen->dropped) {
        *LIST_PUSH(&im->arena, &s->reported) = (ImpObject *)seen;
        const ImpObject *now = function_find(im, seen->name.name);
        Diag *g = diag_error(&im->diags, "import", s->view->file, s->view->where,
                             "%s calls function %.*s, which a later statement of the chain %s: ClickHouse stored the "
                             "view with the body it had at the view's CREATE, the .mvd would call %s",
                             s->view->key, (int)seen->name.name.len, seen->name.name.s, now ? "replaced" : "dropped",
                             now ? "the new one" : "a function that no longer exists");
        diag_note(&im->diags, g, seen->file, seen->where, "the body the view has is this one: write it in place of the call");
    }
    return WALK_CONTINUE;
}

void replay_function_report_stale(Import *im)
{
    for (int i = 0; i < im->all.n; i++) {
        const ImpObject *o = im->all.v[i];
        if (o->dropped || (o->kind != IMP_VIEW && o->kind != IMP_MV) || !o->decl->query)
            continue;
        StaleWalk s = {im, o, {0}};
        Walker w = {.expr = stale_call, .select = into_subquery, .ctx = &s};
        walk_select(&w, o->decl->query);
    }
}
