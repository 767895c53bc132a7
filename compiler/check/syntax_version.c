#include "check/syntax_version.h"

#include "project/versions.h"

static void check_set_op(Project *p, SourceFile *file, const Select *s)
{
    switch (s->union_kind) {
    case UNION_DISTINCT: case UNION_DEFAULT:
        version_check_syntax(p, F_UNION_DISTINCT, file, s->op_span);
        break;
    case INTERSECT_ALL: case INTERSECT_DISTINCT: case EXCEPT_ALL: case EXCEPT_DISTINCT:
        if (version_has_feature(&p->options, F_INTERSECT_EXCEPT))
            version_check_syntax(p, F_SET_OP_MODE, file, s->op_span);
        /* fall through */
    case INTERSECT_DEFAULT: case EXCEPT_DEFAULT:
        version_check_syntax(p, F_INTERSECT_EXCEPT, file, s->op_span);
        break;
    default:
        break;
    }
}

static void check_order(Project *p, SourceFile *file, const Select *s)
{
    for (int i = 0; i < s->order.n; i++) {
        const OrderItem *o = &s->order.v[i];
        if (o->fill)
            version_check_syntax(p, F_WITH_FILL, file, o->expr->span);
        if (o->fill_staleness)
            version_check_syntax(p, F_FILL_STALENESS, file, o->fill_staleness->span);
    }
    if (s->has_interpolate)
        version_check_syntax(p, F_INTERPOLATE, file, s->interpolate.n ? s->interpolate.v[0]->span : s->span);
}

static void check_limits(Project *p, SourceFile *file, const Limits *l)
{
    if (l->offset_only)
        version_check_syntax(p, F_OFFSET_FETCH, file, l->offset_only->span);
    else if (l->limit.ties)
        version_check_syntax(p, F_LIMIT_WITH_TIES, file, l->limit.count->span);
}

static bool is_view_call(const Expr *e)
{
    return e && e->kind == EX_CALL && (e->flags & EF_SELECT_ARG);
}

static void check_from(Project *p, SourceFile *file, const FromItem *f)
{
    if (f->explain)
        version_check_syntax(p, F_EXPLAIN_SUBQUERY, file, f->span);
    if (f->column_aliases.n)
        version_check_syntax(p, F_COLUMN_ALIAS_LIST, file, f->column_aliases.v[0].span);
    if (f->kind != FROM_FUNCTION)
        return;
    if (is_view_call(f->func))
        version_check_syntax(p, F_VIEW_FUNCTION, file, f->func->span);
    for (int i = 0; i < f->func->u.call.args.n; i++) /* remote(..., view(SELECT ...)) */
        if (is_view_call(f->func->u.call.args.v[i]))
            version_check_syntax(p, F_VIEW_FUNCTION, file, f->func->u.call.args.v[i]->span);
}

void syntax_version_check(Project *p, SourceFile *file, const Select *s)
{
    check_set_op(p, file, s);
    if (s->recursive && s->with.n)
        version_check_syntax(p, F_WITH_RECURSIVE, file, s->with.v[0].span);
    for (int i = 0; i < s->with.n; i++)
        if (s->with.v[i].columns.n) /* WITH t(a, b) AS (...) */
            version_check_syntax(p, F_COLUMN_ALIAS_LIST, file, s->with.v[i].columns.v[0].span);
    if (s->qualify)
        version_check_syntax(p, F_QUALIFY, file, s->qualify->span);
    check_order(p, file, s);
    check_limits(p, file, &s->limits);
    for (int i = 0; i < s->from.n; i++)
        check_from(p, file, s->from.v[i]);
}
