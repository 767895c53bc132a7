/* What fires a materialized view. An MV is an insert trigger on the
 * left-most table of its query's FROM (resolve.c finds it); the language
 * makes that visible: the first pulls_from entry must be that table, so a
 * JOIN written the wrong way round (an MV that fires on the small
 * dimension table and never on the events) is an error, not a silent MV
 * that writes nothing.
 *
 * An MV's query, and the FROM subqueries leading to its trigger, use no
 * INTERSECT or EXCEPT (ClickHouse refuses them there).
 *
 * cascade (a warning, 18.16 only): ClickHouse 18.16 does not fire an MV
 * on the rows another MV writes into its TO table (tried: src -> mid ->
 * agg fills mid, never agg; a row inserted into mid by a client does reach
 * agg). Newer servers cascade (26.5 tried). */
#include "check/passes.h"
#include "project/versions.h"

static Span first_from_span(const Object *mv)
{
    const Select *s = mv->decl->query;
    return s && s->from.n ? s->from.v[0]->span : mv->decl->name.span;
}

static void check_first_pull(Project *p, Object *mv)
{
    const Lineage *l = &mv->decl->lineage;
    Object *first = mv->pulls.n ? mv->pulls.v[0] : NULL;
    if (!mv->trigger || !first || first == mv->trigger)
        return;
    Diag *g = diag_error(&p->diags, "trigger", mv->decl->file, l->pulls_from.v[0].span,
                         "this materialized view fires on inserts into '%s', the left-most table of its FROM, "
                         "not on inserts into '%s'",
                         mv->trigger->qname, first->qname);
    diag_note(&p->diags, g, mv->decl->file, first_from_span(mv), "the left-most table of the FROM is here");
    diag_note(&p->diags, g, NULL, (Span){0},
              "the first pulls_from entry names the table whose inserts fire the MV: put '%s' first in "
              "the FROM (FROM %s JOIN ...), or '%s' first in pulls_from if its inserts are meant to fire it",
              first->qname, first->qname, mv->trigger->qname);
}

/* The MV, other than mv, that pushes to table t (NULL: none). */
static Object *writer_of(Project *p, const Object *t, const Object *mv)
{
    for (int i = 0; i < p->object_list.n; i++) {
        Object *o = p->object_list.v[i];
        if (o != mv && o->kind == OBJ_MV && o->target == t)
            return o;
    }
    return NULL;
}

static void check_cascade(Project *p, Object *mv)
{
    Object *up = mv->trigger ? writer_of(p, mv->trigger, mv) : NULL;
    if (!up)
        return;
    Diag *g = diag_warning(&p->diags, "cascade", mv->decl->file, first_from_span(mv),
                           "on ClickHouse 18.16 the rows that '%s' pushes into '%s' do not fire this "
                           "materialized view: only rows inserted into '%s' by a client do",
                           up->qname, mv->trigger->qname, mv->trigger->qname);
    diag_note(&p->diags, g, NULL, (Span){0},
              "newer servers fire it on those rows too (26.5 tried: raise option clickhouse if every server is "
              "newer); on 18.16 compute the chain in one MV from '%s'",
              up->trigger ? up->trigger->qname : up->qname);
}

/* ClickHouse refuses an MV whose query, or a FROM subquery on the way to
 * the table firing it, uses INTERSECT or EXCEPT (code 397, 26.5 tried:
 * `a EXCEPT b`, `a UNION ALL b EXCEPT c`, `FROM (a EXCEPT b)`); inside IN
 * or WITH they are accepted, and so is UNION DISTINCT. (Some mixes of
 * UNION modes are refused too; not reported: not all of them are.) */
static void check_set_operations(Project *p, Object *mv)
{
    const Select *q = mv->decl->query;
    for (int depth = 0; q && depth < 32; depth++) {
        for (const Select *s = q; s->next; s = s->next) {
            if (s->union_kind < INTERSECT_DEFAULT)
                continue;
            diag_error(&p->diags, "trigger", mv->decl->file, s->op_span,
                       "ClickHouse refuses INTERSECT and EXCEPT in a materialized view's query and in the "
                       "FROM subqueries that lead to the table firing it; use it inside IN (...) instead");
            return;
        }
        q = q->from.n && q->from.v[0]->kind == FROM_SUBQUERY ? q->from.v[0]->query : NULL;
    }
}

void check_triggers(Project *p)
{
    bool old = !version_is_after_18_16(&p->options);
    for (int i = 0; i < p->object_list.n; i++) {
        Object *mv = p->object_list.v[i];
        if (mv->kind != OBJ_MV || !mv->decl)
            continue;
        check_first_pull(p, mv);
        check_set_operations(p, mv);
        if (old)
            check_cascade(p, mv);
    }
}
