/* The expression walker: see walk.h. The children of each kind of
 * expression are listed once, in walk_children; the pre-order walk with
 * pruning is built on it. */
#include "syntax/walk.h"

static void each(ExprList *l, WalkChild f, void *arg)
{
    for (int i = 0; i < l->n; i++)
        f(l->v[i], arg);
}

static void maybe(Expr *e, WalkChild f, void *arg)
{
    if (e)
        f(e, arg);
}

void walk_window(Window *w, WalkChild f, void *arg)
{
    if (!w)
        return;
    each(&w->partition, f, arg);
    for (int i = 0; i < w->order.n; i++)
        f(w->order.v[i].expr, arg);
    each(&w->frame, f, arg);
}

void walk_children(Expr *e, WalkChild f, void *arg)
{
    switch ((ExprKind)e->kind) {
    case EX_CALL:
        each(&e->u.call.args, f, arg);
        if (e->u.call.extra) {
            each(&e->u.call.extra->params, f, arg);
            walk_window(e->u.call.extra->over, f, arg);
        }
        return;
    case EX_CASE:
        maybe(e->u.kase.operand, f, arg);
        each(&e->u.kase.arms, f, arg);
        maybe(e->u.kase.otherwise, f, arg);
        return;
    case EX_CAST:
        f(e->u.cast.a, arg);
        return;
    case EX_ARRAY: case EX_TUPLE: case EX_MAP:
        each(&e->u.list.items, f, arg);
        return;
    case EX_UNARY: case EX_BINARY: case EX_BETWEEN: case EX_IS_NULL: case EX_TERNARY: case EX_INTERVAL:
    case EX_LAMBDA: case EX_SUBSCRIPT: case EX_ALIAS: case EX_EXTRACT: case EX_TRIM:
        maybe(e->u.x.a, f, arg);
        maybe(e->u.x.b, f, arg);
        maybe(e->u.x.c, f, arg);
        return;
    case EX_TRANSFORM: /* names, patterns and functions are not columns here */
        f(e->u.x.a, arg);
        if (e->op == XF_APPLY && e->u.x.b->kind == EX_LAMBDA)
            f(e->u.x.b, arg);
        return;
    case EX_TUPLE_INDEX: /* b is the index, a literal */
        f(e->u.x.a, arg);
        return;
    case EX_INTEGER: case EX_FLOAT: case EX_STRING: case EX_NULL: case EX_BOOL:
    case EX_COLUMN: case EX_STAR: case EX_COLUMNS: case EX_SUBQUERY: case EX_EXISTS:
        return;
    }
}

/* ---- The pre-order walk ---- */

static void walk_child(Expr *e, void *arg)
{
    walk_expr(arg, e);
}

WalkResult walk_expr(Walker *w, Expr *e)
{
    if (!e || w->aborted)
        return w->aborted ? WALK_ABORT : WALK_CONTINUE;
    WalkResult r = w->expr ? w->expr(w, e) : WALK_CONTINUE;
    if (r == WALK_ABORT)
        w->aborted = true;
    if (r != WALK_CONTINUE)
        return r;
    if ((e->kind == EX_SUBQUERY || e->kind == EX_EXISTS) && w->select)
        walk_select(w, e->u.sub.query);
    else
        walk_children(e, walk_child, w);
    return w->aborted ? WALK_ABORT : WALK_CONTINUE;
}

WalkResult walk_expr_list(Walker *w, ExprList *l)
{
    for (int i = 0; i < l->n && !w->aborted; i++)
        walk_expr(w, l->v[i]);
    return w->aborted ? WALK_ABORT : WALK_CONTINUE;
}

static void walk_nested(Walker *w, Select *q)
{
    if (q && w->select)
        walk_select(w, q);
}

static void walk_from(Walker *w, FromItem *f)
{
    walk_nested(w, f->query);
    walk_expr(w, f->func);
    walk_expr(w, f->sample);
    walk_expr(w, f->sample_offset);
    walk_expr(w, f->on);
    walk_expr_list(w, &f->array_items);
}

static void walk_order(Walker *w, OrderList *l)
{
    for (int i = 0; i < l->n; i++) {
        walk_expr(w, l->v[i].expr);
        walk_expr(w, l->v[i].fill_from);
        walk_expr(w, l->v[i].fill_to);
        walk_expr(w, l->v[i].fill_step);
        walk_expr(w, l->v[i].fill_staleness);
    }
}

static void walk_one_select(Walker *w, Select *q)
{
    for (int i = 0; i < q->with.n; i++) {
        walk_expr(w, q->with.v[i].expr);
        walk_nested(w, q->with.v[i].query);
    }
    walk_expr_list(w, &q->distinct_on);
    walk_expr_list(w, &q->items);
    for (int i = 0; i < q->from.n; i++)
        walk_from(w, q->from.v[i]);
    walk_expr(w, q->prewhere);
    walk_expr(w, q->where);
    walk_expr_list(w, &q->group.exprs);
    walk_expr(w, q->having);
    for (int i = 0; i < q->windows.n; i++)
        walk_window(q->windows.v[i].spec, walk_child, w);
    walk_expr(w, q->qualify);
    walk_order(w, &q->order);
    walk_expr_list(w, &q->interpolate);
    walk_expr(w, q->limits.by_limit.count);
    walk_expr(w, q->limits.by_limit.offset);
    walk_expr_list(w, &q->limits.by);
    walk_expr(w, q->limits.limit.count);
    walk_expr(w, q->limits.limit.offset);
    walk_expr(w, q->limits.offset_only);
}

WalkResult walk_select(Walker *w, Select *q)
{
    for (; q && !w->aborted; q = q->next) {
        WalkResult r = w->select ? w->select(w, q) : WALK_CONTINUE;
        if (r == WALK_ABORT)
            w->aborted = true;
        if (r == WALK_CONTINUE)
            walk_one_select(w, q);
    }
    return w->aborted ? WALK_ABORT : WALK_CONTINUE;
}
