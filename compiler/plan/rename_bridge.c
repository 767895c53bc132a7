/* A plain MV whose target renames a column the MV writes, taken to its new
 * query with no window by a bridge query (bridge.c; docs/mv-changes.md,
 * "In place across a rename of the target's column"):
 *   1. MODIFY QUERY to the new query with, for each renamed column, one
 *      more output: the new name's expression under the old name;
 *   2. the target's own RENAME COLUMN (its ALTER chain, as ever);
 *   3. MODIFY QUERY to the new query.
 * What was tried on chDB 26.5 and makes this exact: MODIFY QUERY does not
 * look at the target, and an output the target lacks is silently not
 * written while the others are. So before the RENAME the bridge writes
 * the value under the old name (the new one is not written), after it
 * under the new name: every row inserted at any point lands once, with
 * its value in whichever of the two columns the target has. Two outputs
 * from one expression are accepted with the analyzer on and off, an
 * aggregate's (`sum`, `sumState`) included; the one written is the one
 * the target has, so the copy is never seen twice.
 *
 * Only where the change is plainly that: the new query writes `new` where
 * the previous one wrote `old`, the target renames `old` to `new` (and
 * may widen it: renamed_type_kept), every
 * other output is the same name with the same type, or a new one the
 * target adds with its type (the target's ADDs then come first and the
 * bridge after them, alter.c, where alter_adds_can_lead), the new query does
 * not mention `old` (an output named `old` would shadow a column of that
 * name where the query reads it), and everything in_place.c asks of an
 * MODIFY QUERY that runs before its tables' ALTERs holds (same trigger and
 * tables, views and functions unchanged, the new query fitting every state
 * of its source the previous plan knew), or of one that moves the MV to a
 * new trigger (the bridge's first MODIFY QUERY then moves it). The
 * trigger may add columns the new query reads (trigger_only_adds): its
 * ALTERs then all come before the target's, and the bridge with the
 * target's. A table it reads may also change where the new query does
 * not read (source_spared: a column only the old query read dropped):
 * the bridge comes before that table's ALTERs. Anything else keeps the
 * drop and create with its declared gap. */
#include <string.h>

#include "plan/plan.h"
#include "syntax/walk.h"

/* The target's `rename column old to new` clauses that take an output of
 * the previous query (state `was`) to one of the new query: into m. */
static void collect_renames(Plan *pl, Managed *m, const Managed *target, const PrevColumnList *was)
{
    Arena *a = &pl->project->arena;
    for (int i = 0; i < target->decl->clauses.n; i++) {
        const Clause *c = &target->decl->clauses.v[i];
        if (c->kind != CL_RENAME_COLUMN)
            continue;
        const char *old = arena_strndup(a, c->column.s, c->column.len);
        const char *new = arena_strndup(a, c->renamed->s, c->renamed->len);
        if (prev_column(was, old) && !prev_column(&m->shape, old) && prev_column(&m->shape, new) &&
            !prev_column(was, new)) {
            *LIST_PUSH(a, &m->bridge_old) = old;
            *LIST_PUSH(a, &m->bridge_new) = new;
        }
    }
}

static int rename_index(const Managed *m, const char *name, bool new)
{
    for (int i = 0; i < m->bridge_old.n; i++)
        if (strcmp(new ? m->bridge_new.v[i] : m->bridge_old.v[i], name) == 0)
            return i;
    return -1;
}

/* Every output is a previous one of the same name, or a renamed one,
 * or, where `added` is given, a new one (*added then set: the target must
 * add it). Its type may change (a source column retyped under it, or its
 * expression changed): the bridge writes the new query's value into the
 * target's column as it stands, the same column the new query will write
 * where the target keeps its type (target_only_renamed), a widening of it
 * where the target widens it (renamed_type_kept). An output the previous
 * query wrote and the new one does not is let go: from the bridge on no
 * query writes it, as from the MODIFY QUERY of any MV that stops writing
 * a column, and the target's DROP COLUMN of it, if any, comes after the
 * bridge with its other ALTERs. */
static bool outputs_only_renamed(const Managed *m, const PrevColumnList *was, bool *added)
{
    for (int i = 0; i < m->shape.n; i++) {
        const PrevColumn *c = &m->shape.v[i];
        int r = rename_index(m, c->name, true);
        const PrevColumn *before = prev_column(was, r >= 0 ? m->bridge_old.v[r] : c->name);
        if (!before && r < 0 && added && strcmp(c->type, "Unknown") != 0) {
            *added = true;
            continue;
        }
        if (!before || strcmp(c->type, "Unknown") == 0)
            return false;
    }
    return true;
}

/* Whether a renamed column of type `was` may become `now` under the
 * bridge, whose output of type `out` it holds: the same type, or a
 * widening (`qty UInt32` renamed `amount UInt64`). The bridge writes the
 * output into the column's old type until the target's MODIFY COLUMN,
 * so that must keep its value (the same type, or a widening: the output
 * as the new version writes it), and the MODIFY converts the rows there
 * without changing one. */
static bool renamed_type_kept(Plan *pl, const char *out, const char *was, const char *now)
{
    return strcmp(was, now) == 0 || (in_place_cast_keeps(pl, was, now) && in_place_cast_keeps(pl, out, was));
}

/* The target's previous and new columns: the renamed ones keep their
 * type or widen (renamed_type_kept), the other outputs are there in both
 * with one type, or, a new output, added by the release with the
 * output's type. */
static bool target_only_renamed(Plan *pl, const Managed *m, const Managed *target)
{
    const PrevState *before = target->prev ? manifest_state(&pl->prev, target->qname, target->prev->hash) : NULL;
    if (!before)
        return false;
    PrevState now = {0};
    hash_table_columns(pl, target->decl, &now);
    for (int i = 0; i < m->shape.n; i++) {
        int r = rename_index(m, m->shape.v[i].name, true);
        const PrevColumn *c = prev_column(&now.columns, m->shape.v[i].name);
        const PrevColumn *was = prev_column(&before->columns, r >= 0 ? m->bridge_old.v[r] : m->shape.v[i].name);
        if (c && !was && r < 0 && strcmp(c->type, m->shape.v[i].type) == 0)
            continue; /* added: the target's ADD comes before the bridge (alter.c) */
        if (!c || !was ||
            (r >= 0 ? !renamed_type_kept(pl, m->shape.v[i].type, was->type, c->type) : strcmp(c->type, was->type) != 0))
            return false;
        if (r >= 0 && (prev_column(&now.columns, m->bridge_old.v[r]) || prev_column(&before->columns, c->name)))
            return false;
    }
    return true;
}

/* The new query's names of table t: each, where the table has it now, is
 * there with that type in every state the previous plan knew (the bridge
 * runs before the ALTERs of whichever state the table is in). */
static bool reads_in_every_state(Plan *pl, const Managed *t, const QueryNames *reads)
{
    PrevState now = {0};
    hash_table_columns(pl, t->decl, &now);
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        if (strcmp(s->kind, "table") != 0)
            continue;
        for (int k = 0; k < now.columns.n; k++) {
            const PrevColumn *c = &now.columns.v[k], *was = prev_column(&s->columns, c->name);
            bool used = query_names_mention(reads, c->name);
            if (used && (!was || strcmp(was->type, c->type) != 0))
                return false;
        }
    }
    return true;
}

/* A table the MV reads that the release does not change, its columns as
 * the new query reads them in every state. */
static bool source_fits(Plan *pl, const Managed *t, const QueryNames *reads)
{
    return t->prev && t->prev->hash && strcmp(t->prev->hash, t->hash) == 0 && reads_in_every_state(pl, t, reads);
}

/* A table the MV reads that the release changes only where the new query
 * does not read (plan_alters_spare: a column only the old query read
 * dropped, one neither reads changed, added or dropped), what the new
 * query reads of it there in every state: the bridge, made before the
 * table's ALTERs, runs across them, and the old query, which stops at the
 * bridge, meets none (the bridge at the target's chain, after its ADDs:
 * the table's chain after the target's, table_order.c). */
static bool source_spared(Plan *pl, const Managed *t, const QueryNames *reads)
{
    QueryNames none = {0};
    return t->prev && t->prev->hash && reads_in_every_state(pl, t, reads) &&
           plan_alters_spare(pl, t, &none, reads, true);
}

/* A table's change is columns added, which the new query may read, and
 * what touches none of its columns (a TTL, a setting, an index): every
 * column it had keeps its name and type, so the old query, which runs
 * until the bridge, meets none of its ALTERs. Its whole chain then comes
 * before the target's, and the bridge at the target's (adders_first,
 * m->bridge_after): its trigger's or a table it joins alike. */
static bool only_adds(Plan *pl, const Managed *t, const QueryNames *now)
{
    const PrevState *before = t->prev && t->prev->hash ? manifest_state(&pl->prev, t->qname, t->prev->hash) : NULL;
    if (!before)
        return false;
    QueryNames had = {0};
    query_names_of_columns(&pl->project->arena, &before->columns, &had);
    return plan_alters_spare(pl, t, &had, now, false);
}

/* Tables the MV reads whose ALTERs must all have run when the bridge
 * opens at the target's chain. */
enum { MAX_SPARED = 8 }; /* tables the MV reads that change where the new query does not read, or only add */

typedef struct Adders {
    const Managed *v[MAX_SPARED];
    int n;
} Adders;

/* Whether the previous plan altered table t before its step `at`. */
static bool altered_before(const Plan *pl, const Managed *t, int at)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; e && i < e->steps.n; i++)
        if (e->steps.v[i] < at && strcmp(pl->prev.steps.v[e->steps.v[i]].action, "alter") == 0)
            return true;
    return false;
}

/* Where the new query reads what tables add (`adders`), their setup
 * before the target's (table_order.c). For a bridge carried from the
 * previous plan (at `carried_at`), each table that plan altered before
 * it. */
static bool adders_first(Plan *pl, const Managed *m, const Adders *adders, int carried_at)
{
    const Managed *target = plan_managed_of(pl, m->obj->target);
    for (int i = 0; carried_at < 0 && i < adders->n; i++)
        if (!table_order_first(pl, adders->v[i], target))
            return false;
    for (int k = 0; carried_at >= 0 && k < m->obj->reads.n; k++) {
        const Managed *r = bridge_table_of(pl, m, k);
        if (r && r != target && altered_before(pl, r, carried_at) && !table_order_first(pl, r, target))
            return false;
    }
    return true;
}

/* What the new query holds that the bridge must know of. */
typedef struct Seek {
    const Managed *m;
    bool defines_old; /* an alias named an old name */
    bool scoped;      /* lambdas, subqueries, COLUMNS, *: names not simply the source's */
    bool old_path;    /* `old.x`: a path under an old name */
} Seek;

static bool is_old(const Managed *m, Name n)
{
    for (int i = 0; i < m->bridge_old.n; i++)
        if (name_is(n, m->bridge_old.v[i]))
            return true;
    return false;
}

static WalkResult seek(Walker *w, Expr *e)
{
    Seek *s = w->ctx;
    s->defines_old |= e->kind == EX_ALIAS && is_old(s->m, e->name);
    s->scoped |= e->kind == EX_LAMBDA || e->kind == EX_SUBQUERY || e->kind == EX_EXISTS || e->kind == EX_COLUMNS ||
                 e->kind == EX_STAR;
    s->old_path |= e->kind == EX_COLUMN && e->u.path.parts.n > 1 && is_old(s->m, e->u.path.parts.v[0]);
    return WALK_CONTINUE;
}

/* Whether the new query names an old name anywhere (a source column of
 * that name, say). */
static bool reads_old_name(const Managed *m, const QueryNames *now)
{
    for (int i = 0; i < m->bridge_old.n; i++)
        if (query_names_has(now, (Name){.s = m->bridge_old.v[i], .len = (uint32_t)strlen(m->bridge_old.v[i])}))
            return true;
    return false;
}

/* The new query, a single SELECT, has one item named each new name and
 * defines no old name. Where it reads a source column of an old name,
 * the bridge's output of that name would take its place in the query
 * (an alias wins over a column, both analyzers; tried: `qty * 2 AS total,
 * qty * 2 AS qty` gives total 4 for qty 1, `sum(qty)` nests, code 184):
 * the bridge reads it as `source.old`, which no alias shadows (tried
 * with the analyzer on and off), and only where the query is one table,
 * with no WITH, join, ARRAY JOIN, lambda or subquery to scope its names. */
static bool query_takes_bridge(Plan *pl, Managed *m, const QueryNames *now)
{
    Select *q = m->decl->query;
    if (q->next || now->star)
        return false;
    Seek s = {.m = m};
    Walker w = {.expr = seek, .ctx = &s};
    walk_select(&w, q);
    if (s.defines_old)
        return false;
    for (int i = 0; i < m->bridge_new.n; i++) {
        int found = 0;
        for (int k = 0; k < q->items.n; k++) {
            const Expr *e = q->items.v[k];
            found += (e->kind == EX_ALIAS || e->kind == EX_COLUMN) && name_is(e->name, m->bridge_new.v[i]);
        }
        if (found != 1)
            return false;
    }
    if (!reads_old_name(m, now))
        return true;
    const FromItem *f = q->from.n == 1 ? q->from.v[0] : NULL;
    if (s.scoped || s.old_path || q->with.n || !f || f->kind != FROM_TABLE || f->array_items.n ||
        f->column_aliases.n)
        return false;
    m->bridge_qualifier = f->alias.len ? f->alias : f->table.name;
    /* A source column of the qualifier's name would make it a path. */
    const Managed *src = plan_managed_of(pl, m->obj->trigger);
    PrevState cols = {0};
    if (!src || !src->decl)
        return false;
    hash_table_columns(pl, src->decl, &cols);
    return !prev_column(&cols.columns, arena_strndup(&pl->project->arena, m->bridge_qualifier.s,
                                                      m->bridge_qualifier.len));
}

/* A release that changes the MV and renames, in its target, columns it
 * writes (m's renames, from state `was`): the rest is as the bridge
 * needs; into `adders`, the tables that add what the new query reads. */
static bool proved(Plan *pl, Managed *m, const PrevState *was, const QueryNames *now, Adders *adders)
{
    const Managed *target = plan_managed_of(pl, m->obj->target), *spared[MAX_SPARED];
    int nspared = 0;
    bool added = false;
    m->moved_from = NULL; /* the bridge's first MODIFY QUERY may move the MV to its new trigger */
    if (!in_place_reads_kept(pl, m, &m->moved_from) || !outputs_only_renamed(m, &was->columns, &added) ||
        !target_only_renamed(pl, m, target))
        return false;
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (r == target)
            return false; /* it would read the column it renames */
        if (!r || !r->obj || r->obj->kind != OBJ_TABLE || source_fits(pl, r, now))
            continue;
        if (nspared < MAX_SPARED && source_spared(pl, r, now))
            spared[nspared++] = r;
        else if (adders->n < MAX_SPARED && only_adds(pl, r, now))
            adders->v[adders->n++] = r;
        else
            return false;
    }
    /* Where the target adds what the new query writes, or a table it
     * reads what it reads: the bridge at the target's chain, after its
     * ADDs (none for the tables' case alone), before its RENAMEs, and so
     * not at those tables', which come first (adders_first). */
    m->bridge_after = added || adders->n ? target->obj : NULL;
    for (int i = 0; m->bridge_after && i < nspared; i++)
        if (!table_order_first(pl, target, spared[i]))
            return false;
    return !m->bridge_after || alter_adds_can_lead(pl, target);
}

void plan_rename_bridge(Plan *pl, Managed *m)
{
    if (m->decl->kind != DECL_MV || !m->obj || !m->prev || !m->prev->hash)
        return;
    int at = bridge_carried(pl, m, "rename");
    const char *from = at >= 0 ? pl->prev.steps.v[at].guard + strlen("when=") : NULL;
    bool fresh = !from;
    if (fresh && strcmp(m->prev->hash, m->hash) == 0)
        return;
    from = fresh ? m->prev->hash : from;
    const Managed *target = plan_managed_of(pl, m->obj->target);
    const PrevState *was = manifest_state(&pl->prev, m->qname, from);
    if (!target || !target->decl || !was)
        return;
    collect_renames(pl, m, target, &was->columns);
    QueryNames now = {0};
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    Adders adders = {0};
    if (!m->bridge_old.n || (fresh && !proved(pl, m, was, &now, &adders)) || !query_takes_bridge(pl, m, &now) ||
        !adders_first(pl, m, &adders, fresh ? -1 : at) ||
        (!fresh && !bridge_carried_lead_first(pl, m, at))) {
        m->bridge_after = NULL;
        m->moved_from = NULL;
        m->bridge_old.n = m->bridge_new.n = 0;
        m->bridge_qualifier = (Name){0};
        return;
    }
    m->bridge_carried_at = at + 1; /* 0 for a new one */
    bridge_set(pl, m, "rename", from);
}

bool rename_bridge_target(Plan *pl, Managed *m, const PrevState *was, bool joined, bool *added)
{
    const Managed *target = plan_managed_of(pl, m->obj->target);
    QueryNames now = {0};
    if (!target || !target->decl)
        return false;
    collect_renames(pl, m, target, &was->columns);
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    Name qualifier = m->bridge_qualifier; /* the source bridge's, which this keeps */
    if (m->bridge_old.n && outputs_only_renamed(m, &was->columns, added) && target_only_renamed(pl, m, target) &&
        query_takes_bridge(pl, m, &now) && !(joined && reads_old_name(m, &now))) {
        m->bridge_qualifier = qualifier;
        return true;
    }
    m->bridge_old.n = m->bridge_new.n = 0;
    m->bridge_qualifier = qualifier;
    return false;
}
