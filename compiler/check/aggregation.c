/* The aggregation checks of one SELECT, run once its names are resolved.
 *
 * nested-aggregate: an aggregate call inside the arguments of another
 * (ClickHouse 184, ILLEGAL_AGGREGATION), also when the inner one is reached
 * through an alias: in `sum(b) AS b, sumSimpleState(b)` the second `b`
 * names the alias, not the column, because aliases win over columns.
 *
 * not-aggregated: in a query that aggregates (GROUP BY, or an aggregate in
 * SELECT, HAVING or ORDER BY), every column that SELECT, HAVING, ORDER BY,
 * LIMIT BY or a window uses outside an aggregate must be covered by GROUP
 * BY (ClickHouse 215, NOT_AN_AGGREGATE). An expression equal to a GROUP BY
 * expression is covered as a whole; so are constants, lambda parameters
 * and columns of an outer query.
 *
 * Aliases resolve the way ClickHouse resolves them: a name that is an
 * alias of the query stands for the alias's expression, except inside that
 * expression itself (`sum(b) AS b` sums the column b). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/aggregation.h"
#include "syntax/walk.h"
#include "typing/aggregate.h"

typedef struct Checker {
    Project *p;
    SourceFile *file;
    const Scope *sc;
    Select *s;
    ExprList keys;          /* GROUP BY expressions, aliases expanded, tuples flattened */
    LIST_OF(Name) expanding; /* aliases whose expression is being walked */
    NameList lambda;        /* lambda parameters in reach */
    LIST_OF(Span) reported; /* columns already reported: an alias used twice says it once */
    Expr *first_aggregate;
} Checker;

static Arena *tmp(Checker *c)
{
    return &c->p->scratch;
}

/* A call of an aggregate function, not used as a window function. */
static bool is_aggregate(Checker *c, const Expr *e)
{
    if (e->kind != EX_CALL || (e->u.call.extra && (e->u.call.extra->over || e->u.call.extra->window.s)))
        return false;
    return aggregate_lookup(c->p, e->name) != NULL;
}

static bool in_list(const NameList *l, Name n)
{
    for (int i = 0; i < l->n; i++)
        if (name_eq(l->v[i], n))
            return true;
    return false;
}

static bool is_expanding(Checker *c, Name n)
{
    for (int i = 0; i < c->expanding.n; i++)
        if (name_eq(c->expanding.v[i], n))
            return true;
    return false;
}

/* The alias a plain name stands for here, or NULL: lambda parameters and
 * the alias being expanded hide it. */
static Expr *alias_of(Checker *c, const Expr *e)
{
    if (e->kind != EX_COLUMN || e->u.path.parts.n != 1 || in_list(&c->lambda, e->name) ||
        is_expanding(c, e->name))
        return NULL;
    for (int i = 0; i < c->sc->aliases.n; i++)
        if (name_eq(c->sc->aliases.v[i].name, e->name))
            return c->sc->aliases.v[i].expr;
    return NULL;
}

/* Calls a walk makes on every direct subexpression of e, subqueries
 * excluded (they are checked on their own). Lambdas bind their
 * parameters for the body. */
typedef void (*Visit)(Checker *c, Expr *e, void *arg);

static void push_params(Checker *c, Expr *params)
{
    if (params->kind == EX_TUPLE) {
        for (int i = 0; i < params->u.list.items.n; i++)
            if (params->u.list.items.v[i]->kind == EX_COLUMN)
                *LIST_PUSH(tmp(c), &c->lambda) = params->u.list.items.v[i]->name;
    } else if (params->kind == EX_COLUMN) {
        *LIST_PUSH(tmp(c), &c->lambda) = params->name;
    }
}

static void visit_list(Checker *c, ExprList *l, Visit f, void *arg)
{
    for (int i = 0; i < l->n; i++)
        f(c, l->v[i], arg);
}

typedef struct VisitArgs {
    Checker *c;
    Visit f;
    void *arg;
} VisitArgs;

static void visit_child(Expr *e, void *arg)
{
    VisitArgs *v = arg;
    v->f(v->c, e, v->arg);
}

/* The children of e as syntax/walk.c lists them, with what the checks
 * need to know on the way down: inside an alias's own expression its
 * name is the column's; a lambda's parameters are bound in its body, and
 * are not themselves columns. */
static void visit_children(Checker *c, Expr *e, Visit f, void *arg)
{
    switch ((ExprKind)e->kind) {
    case EX_ALIAS:
        *LIST_PUSH(tmp(c), &c->expanding) = e->name;
        f(c, e->u.x.a, arg);
        c->expanding.n--;
        return;
    case EX_LAMBDA: {
        int saved = c->lambda.n;
        push_params(c, e->u.x.a);
        f(c, e->u.x.b, arg);
        c->lambda.n = saved;
        return;
    }
    default:
        walk_children(e, visit_child, &(VisitArgs){c, f, arg});
        return;
    }
}

/* ---- nested-aggregate ---- */

/* The first aggregate e contains, through aliases too; NULL when none. */
static Expr *find_aggregate(Checker *c, Expr *e);

static void find_visit(Checker *c, Expr *e, void *arg)
{
    Expr **found = arg;
    if (!*found)
        *found = find_aggregate(c, e);
}

static Expr *find_aggregate(Checker *c, Expr *e)
{
    if (is_aggregate(c, e))
        return e;
    Expr *alias = alias_of(c, e);
    Expr *found = NULL;
    if (alias) {
        *LIST_PUSH(tmp(c), &c->expanding) = alias->name;
        found = find_aggregate(c, alias->u.x.a);
        c->expanding.n--;
        return found;
    }
    visit_children(c, e, find_visit, &found);
    return found;
}

static const char *text(Checker *c, const Expr *e)
{
    return arena_printf(tmp(c), "%.*s", (int)e->span.len, c->file->text + e->span.off);
}

static bool shadows_column(Checker *c, Name n)
{
    for (int i = 0; i < c->sc->rels.n; i++)
        if (c->sc->rels.v[i].cols && scope_relation_has(&c->sc->rels.v[i], n))
            return true;
    return false;
}

/* e is inside the arguments of `outer`: report any aggregate in it. */
static void check_inside(Checker *c, Expr *e, void *arg)
{
    Expr *outer = arg;
    if (is_aggregate(c, e)) {
        diag_error(&c->p->diags, "nested-aggregate", c->file, e->name.span,
                   "aggregate '%.*s' inside the aggregate '%.*s': ClickHouse refuses to nest them", (int)e->name.len,
                   e->name.s, (int)outer->name.len, outer->name.s);
        return;
    }
    Expr *alias = alias_of(c, e);
    if (alias) {
        *LIST_PUSH(tmp(c), &c->expanding) = alias->name;
        Expr *inner = find_aggregate(c, alias->u.x.a);
        c->expanding.n--;
        if (!inner)
            return;
        Diag *g = diag_error(&c->p->diags, "nested-aggregate", c->file, e->span,
                             "'%.*s' here is the alias of '%s', so the aggregate '%.*s' is nested in '%.*s'",
                             (int)e->name.len, e->name.s, text(c, alias->u.x.a), (int)inner->name.len, inner->name.s,
                             (int)outer->name.len, outer->name.s);
        diag_note(&c->p->diags, g, c->file, alias->name.span, "the alias is defined here");
        if (shadows_column(c, e->name))
            diag_note(&c->p->diags, g, NULL, (Span){0},
                      "an alias wins over the column of the same name: rename the alias, or qualify the "
                      "column with its table to mean the column '%.*s'", (int)e->name.len, e->name.s);
        return;
    }
    visit_children(c, e, check_inside, outer);
}

static void check_nesting(Checker *c, Expr *e, void *arg)
{
    (void)arg;
    if (is_aggregate(c, e)) {
        if (!c->first_aggregate)
            c->first_aggregate = e;
        visit_list(c, &e->u.call.args, check_inside, e);
        return;
    }
    visit_children(c, e, check_nesting, NULL);
}

/* ---- not-aggregated ---- */

/* Columns compare by name: `t.a` and `a` are the same key, also inside a
 * call (`toStartOfHour(ts)` is covered by GROUP BY `toStartOfHour(x.ts)`).
 * Anything else compares as ClickHouse compares two expressions. */
static bool same_expr(Checker *c, const Expr *a, const Expr *b)
{
    if (a->kind == EX_COLUMN && b->kind == EX_COLUMN)
        return name_eq(a->name, b->name);
    if (a->kind == EX_CALL && b->kind == EX_CALL && a->u.call.args.n == b->u.call.args.n) {
        Expr x = *a, y = *b; /* the calls without their arguments, then each argument */
        x.u.call.args = y.u.call.args = (ExprList){0};
        if (!ast_equal(&x, &y, c->file->text))
            return false;
        for (int i = 0; i < a->u.call.args.n; i++)
            if (!same_expr(c, a->u.call.args.v[i], b->u.call.args.v[i]))
                return false;
        return true;
    }
    return ast_equal(a, b, c->file->text);
}

static bool is_key(Checker *c, const Expr *e)
{
    for (int i = 0; i < c->keys.n; i++)
        if (same_expr(c, e, c->keys.v[i]))
            return true;
    return false;
}

/* `x AS d` with GROUP BY d. (Also where d names two expressions, which
 * the duplicate check reports: one error is enough.) */
static bool alias_is_key(Checker *c, const Expr *e)
{
    for (int i = 0; e->kind == EX_ALIAS && i < c->keys.n; i++) {
        const Expr *k = c->keys.v[i];
        if (k->kind == EX_COLUMN && k->u.path.parts.n == 1 && name_eq(k->name, e->name))
            return true;
    }
    return false;
}

/* A call of a function nobody declares (unknown-function said so): it may
 * be an aggregate, so what it holds is not judged. */
static bool is_unknown_call(Checker *c, const Expr *e)
{
    return e->kind == EX_CALL && !project_function(c->p, e->name) && !aggregate_lookup(c->p, e->name);
}

/* A column of this query's own sources (not an outer query's). */
static bool local_column(Checker *c, const Expr *e)
{
    Scope here = *c->sc;
    here.parent = NULL;
    const Relation *rel;
    int bad;
    return scope_lookup(&here, &e->u.path.parts, &rel, &bad) == LOOKUP_FOUND;
}

static bool already_reported(Checker *c, Span at)
{
    for (int i = 0; i < c->reported.n; i++)
        if (c->reported.v[i].off == at.off)
            return true;
    *LIST_PUSH(tmp(c), &c->reported) = at;
    return false;
}

static void report_column(Checker *c, Expr *e)
{
    if (already_reported(c, e->span))
        return;
    const char *col = text(c, e);
    Diag *g;
    if (c->s->group.exprs.n) {
        g = diag_error(&c->p->diags, "not-aggregated", c->file, e->span,
                       "'%s' is neither in GROUP BY nor inside an aggregate", col);
        diag_note(&c->p->diags, g, NULL, (Span){0}, "add it to GROUP BY, or aggregate it: any(%s), max(%s), ...",
                  col, col);
    } else {
        g = diag_error(&c->p->diags, "not-aggregated", c->file, e->span,
                       "'%s' is not inside an aggregate, but the query aggregates without GROUP BY", col);
        diag_note(&c->p->diags, g, c->file, c->first_aggregate->span, "the query aggregates here");
        diag_note(&c->p->diags, g, NULL, (Span){0}, "add GROUP BY %s, or aggregate it: any(%s), max(%s), ...", col,
                  col, col);
    }
}

static void check_covered(Checker *c, Expr *e, void *arg)
{
    (void)arg;
    Expr *bare = ast_unalias(e);
    if (is_aggregate(c, bare) || is_key(c, bare) || alias_is_key(c, e) || is_unknown_call(c, bare))
        return;
    if (e->kind == EX_ALIAS) {
        visit_children(c, e, check_covered, NULL);
        return;
    }
    if (bare->kind == EX_COLUMN) {
        Expr *alias = alias_of(c, bare);
        if (alias) {
            *LIST_PUSH(tmp(c), &c->expanding) = alias->name;
            check_covered(c, alias->u.x.a, NULL);
            c->expanding.n--;
            return;
        }
        if ((bare->u.path.parts.n == 1 && in_list(&c->lambda, bare->name)) || !local_column(c, bare))
            return;
        report_column(c, bare);
        return;
    }
    visit_children(c, bare, check_covered, NULL);
}

/* ---- GROUP BY keys ---- */

static bool is_grouping_call(const Expr *e)
{
    static const char *const names[] = {"rollup", "cube", "tuple", NULL};
    for (int i = 0; e->kind == EX_CALL && names[i]; i++)
        if (e->name.len == strlen(names[i]) && strncasecmp(e->name.s, names[i], e->name.len) == 0)
            return true;
    return false;
}

/* positional: e is a key as written in GROUP BY, where a number names a
 * SELECT item. The item it names, or an alias's expression, is a key as
 * it stands: `SELECT 1 GROUP BY 1` must not chase item 1 forever. */
static void add_key(Checker *c, Expr *e, bool positional)
{
    e = ast_unalias(e);
    if (e->kind == EX_TUPLE) { /* GROUP BY (a, b), GROUPING SETS ((a, b), (a)) */
        for (int i = 0; i < e->u.list.items.n; i++)
            add_key(c, e->u.list.items.v[i], positional);
        return;
    }
    if (is_grouping_call(e)) { /* ROLLUP(a, b), CUBE(a, b) */
        for (int i = 0; i < e->u.call.args.n; i++)
            add_key(c, e->u.call.args.v[i], positional);
        return;
    }
    if (e->kind == EX_INTEGER && positional) { /* GROUP BY 1: the first SELECT item */
        long n = strtol(c->file->text + e->span.off, NULL, 10);
        if (n >= 1 && n <= c->s->items.n)
            add_key(c, c->s->items.v[n - 1], false);
        return;
    }
    *LIST_PUSH(tmp(c), &c->keys) = e;
    Expr *alias = alias_of(c, e);
    if (alias && c->expanding.n < 16) {
        *LIST_PUSH(tmp(c), &c->expanding) = alias->name;
        add_key(c, alias->u.x.a, false);
        c->expanding.n--;
    }
}

/* ---- The query ---- */

static void walk_all(Checker *c, Visit f)
{
    for (int i = 0; i < c->s->with.n; i++)
        if (!c->s->with.v[i].query)
            f(c, c->s->with.v[i].expr, NULL);
    visit_list(c, &c->s->items, f, NULL);
    if (c->s->prewhere)
        f(c, c->s->prewhere, NULL);
    if (c->s->where)
        f(c, c->s->where, NULL);
    visit_list(c, &c->s->group.exprs, f, NULL);
    if (c->s->having)
        f(c, c->s->having, NULL);
    for (int i = 0; i < c->s->order.n; i++)
        f(c, c->s->order.v[i].expr, NULL);
    visit_list(c, &c->s->limits.by, f, NULL);
}

/* What runs after the aggregation: SELECT, HAVING, ORDER BY, LIMIT BY. */
static void walk_after_grouping(Checker *c, Visit f)
{
    visit_list(c, &c->s->items, f, NULL);
    if (c->s->having)
        f(c, c->s->having, NULL);
    for (int i = 0; i < c->s->order.n; i++)
        f(c, c->s->order.v[i].expr, NULL);
    visit_list(c, &c->s->limits.by, f, NULL);
}

static void note_aggregate(Checker *c, Expr *e, void *arg)
{
    (void)arg;
    if (c->first_aggregate)
        return;
    if (is_aggregate(c, e)) {
        c->first_aggregate = e;
        return;
    }
    visit_children(c, e, note_aggregate, NULL);
}

void check_aggregation(Project *p, SourceFile *file, const Scope *sc, Select *s)
{
    ArenaMark mark = arena_mark(&p->scratch);
    Checker c = {.p = p, .file = file, .sc = sc, .s = s};
    walk_all(&c, check_nesting);
    c.first_aggregate = NULL;
    walk_after_grouping(&c, note_aggregate);
    bool aggregates = s->group.exprs.n || c.first_aggregate;
    if (aggregates && !(s->group.flags & GF_ALL)) {
        for (int i = 0; i < s->group.exprs.n; i++)
            add_key(&c, s->group.exprs.v[i], true);
        walk_after_grouping(&c, check_covered);
    }
    arena_release(&p->scratch, mark);
}
