/* A plain MV whose trigger changes the type of a column the new query
 * reads, where MODIFY QUERY on either side of the trigger's ALTERs is not
 * exact (in_place.c: the query changed too, so the old query over the new
 * type is neither version; or one part of the query reads two retyped
 * columns, `a + b`, over a trigger whose ALTERs retype them one at a
 * time), taken to its new query with no window by a bridge (bridge.c):
 *   1. MODIFY QUERY to the new query with each retyped column read as
 *      `CAST(source.col AS NewType)`, before the trigger's ALTERs;
 *   2. the trigger's MODIFY COLUMNs (its ALTER chain, as ever);
 *   3. MODIFY QUERY to the new query.
 * Why it is exact (tried on chDB 26.5): an insert runs the MV's query as
 * it stands over the block as the trigger's types stand when the insert
 * starts. Before step 1 that is the old query, as before the release.
 * From step 1 on it is the new query over each retyped value as its new
 * type holds it: cast from the old type before the ALTER, the value
 * itself after it. The cast is a widening (alter_type_widens: it never
 * fails and never changes a value), the conversion the ALTER itself
 * makes of the rows already there; so every row inserted from step 1 on
 * is delivered once, as the new query gives it over the trigger's new
 * types, whichever of the trigger's states it met. Step 3 only takes the
 * casts away (over the new types they return the value as it is).
 *
 * Only where the bridge can say exactly that: the new query reads of its
 * trigger only columns it had in the state the old query ran beside
 * (none the release adds or renames), each retyped one widened; a single
 * SELECT from the trigger alone (no WITH, join, ARRAY JOIN, lambda,
 * subquery, `*` or COLUMNS to scope its names), which names no retyped
 * column as an alias or through a path (the bridge reads them as
 * `source.col`, which no alias shadows); no other table it reads changes;
 * and its outputs reach the target's columns as they stand before the
 * target's ALTERs, each there with a type that keeps its value
 * (in_place_types.c), since the bridge writes them from step 1 on.
 * Anything else keeps the drop and create with its declared gap. */
#include <string.h>

#include "plan/plan.h"
#include "syntax/walk.h"
#include "typing/signature.h"

static const PrevColumn *column_named(const PrevColumnList *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

static bool mentions(const QueryNames *q, const char *name)
{
    return query_names_has(q, (Name){.s = name, .len = (uint32_t)strlen(name)});
}

/* The trigger's columns the new query reads (`reads`) that change type,
 * each widened, into m->cast_names and cast_types; false when the query
 * reads one the trigger's previous state lacks, or one whose change is
 * not a widening. */
static bool collect_casts(Plan *pl, Managed *m, const Managed *t, const PrevState *was, const QueryNames *reads)
{
    Arena *a = &pl->project->arena;
    PrevState now = {0};
    hash_table_columns(pl, t->decl, &now);
    for (int i = 0; i < now.columns.n; i++) {
        const PrevColumn *c = &now.columns.v[i], *w = column_named(&was->columns, c->name);
        Name name = {.s = c->name, .len = (uint32_t)strlen(c->name)};
        Name from;
        if (!mentions(reads, c->name))
            continue;
        if (!w || ast_decl_replaces_column(t->decl, name, &from))
            return false;
        if (strcmp(w->type, c->type) == 0)
            continue;
        const Type *old = typestring_parse(pl->project, w->type), *new = typestring_parse(pl->project, c->type);
        if (!old || !new || strcmp(c->type, "Unknown") == 0 || !alter_type_widens(old, new))
            return false;
        *LIST_PUSH(a, &m->cast_names) = c->name;
        *LIST_PUSH(a, &m->cast_types) = c->type;
    }
    return m->cast_names.n > 0;
}

/* Every state of the trigger the previous plan knew has each column the
 * new query reads (their types are trigger_states_known's). */
static bool read_in_every_state(const Plan *pl, const Managed *t, const QueryNames *reads, const PrevState *was)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        for (int k = 0; strcmp(s->kind, "table") == 0 && k < was->columns.n; k++)
            if (mentions(reads, was->columns.v[k].name) && !column_named(&s->columns, was->columns.v[k].name))
                return false;
    }
    return true;
}

/* What the new query holds that the bridge must know of. */
typedef struct Seek {
    const Managed *m;
    bool defines_cast; /* an alias named a retyped column */
    bool scoped;       /* lambdas, subqueries, COLUMNS, *: names not simply the source's */
    bool cast_path;    /* `t.col` or `col.x`: a path through a retyped column's name */
} Seek;

static bool is_cast(const Managed *m, Name n)
{
    for (int i = 0; i < m->cast_names.n; i++)
        if (name_is(n, m->cast_names.v[i]))
            return true;
    return false;
}

static WalkResult seek(Walker *w, Expr *e)
{
    Seek *s = w->ctx;
    s->defines_cast |= e->kind == EX_ALIAS && is_cast(s->m, e->name);
    s->scoped |= e->kind == EX_LAMBDA || e->kind == EX_SUBQUERY || e->kind == EX_EXISTS || e->kind == EX_COLUMNS ||
                 e->kind == EX_STAR;
    for (int i = 0; e->kind == EX_COLUMN && e->u.path.parts.n > 1 && i < e->u.path.parts.n; i++)
        s->cast_path |= is_cast(s->m, e->u.path.parts.v[i]);
    return WALK_CONTINUE;
}

/* The new query reads each retyped column plainly, from its trigger
 * alone: the bridge can cast each of them where it stands. */
static bool query_takes_casts(Plan *pl, Managed *m, const PrevState *trigger_was, const QueryNames *now)
{
    Select *q = m->decl->query;
    const FromItem *f = q->from.n == 1 ? q->from.v[0] : NULL;
    if (q->next || now->star || q->with.n || !f || f->kind != FROM_TABLE || f->array_items.n || f->column_aliases.n)
        return false;
    Seek s = {.m = m};
    Walker w = {.expr = seek, .ctx = &s};
    walk_select(&w, q);
    if (s.defines_cast || s.scoped || s.cast_path)
        return false;
    m->bridge_qualifier = f->alias.len ? f->alias : f->table.name;
    /* A source column of the qualifier's name would make it a path. */
    return !column_named(&trigger_was->columns,
                         arena_strndup(&pl->project->arena, m->bridge_qualifier.s, m->bridge_qualifier.len));
}

/* Every column of `outputs` is in `cols`. */
static bool has_all(const PrevColumnList *cols, const PrevColumnList *outputs)
{
    for (int i = 0; i < outputs->n; i++)
        if (!column_named(cols, outputs->v[i].name))
            return false;
    return true;
}

/* Where the bridge's outputs (the new query's) can meet the target: as
 * it is before its ALTERs (each output there, in every state the target
 * may be in, with a type that keeps its value), the bridge then first;
 * else, with *target_first, after the target's ALTERs, which then come
 * before the trigger's (table_order.c): the old query, running until the
 * bridge, must then find each of its outputs in the target's new columns
 * with a type that keeps its value (a column passed through and widened
 * in both tables). */
static bool target_takes(Plan *pl, const Managed *m, const Managed *target, const PrevState *mv_was, bool every_state,
                         bool *target_first)
{
    const PrevState *before = target->prev ? manifest_state(&pl->prev, target->qname, target->prev->hash) : NULL;
    if (!before)
        return false;
    bool fits = has_all(&before->columns, &m->shape);
    const ManifestEntry *e = manifest_entry(&pl->prev, target->qname);
    for (int k = 0; every_state && k < e->states.n; k++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[k]];
        fits &= strcmp(s->kind, "table") != 0 || has_all(&s->columns, &m->shape);
    }
    bool after_ok, before_ok;
    in_place_output_casts(pl, target, &mv_was->columns, &m->shape, every_state, &after_ok, &before_ok);
    if (fits && before_ok)
        return true;
    PrevState now = {0};
    hash_table_columns(pl, target->decl, &now);
    *target_first = after_ok && has_all(&now.columns, &mv_was->columns) && has_all(&now.columns, &m->shape);
    return *target_first;
}

/* Every table the MV reads but its trigger has the previous plan's hash,
 * and none is its target. */
static bool others_unchanged(const Plan *pl, const Managed *m)
{
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (m->obj->reads.v[i] == m->obj->target)
            return false;
        if (r && r->obj && r->obj->kind == OBJ_TABLE && r->obj != m->obj->trigger &&
            (!r->prev || !r->prev->hash || strcmp(r->prev->hash, r->hash) != 0))
            return false;
    }
    return true;
}

static bool proved(Plan *pl, Managed *m)
{
    const Managed *t = plan_managed_of(pl, m->obj->trigger), *target = plan_managed_of(pl, m->obj->target);
    const PrevState *was = t && t->prev && t->prev->hash ? manifest_state(&pl->prev, t->qname, t->prev->hash) : NULL;
    const PrevState *mv_was = manifest_state(&pl->prev, m->qname, m->prev->hash);
    if (!was || !mv_was || !target || !target->decl || !t->decl || !in_place_reads_kept(pl, m) ||
        !others_unchanged(pl, m))
        return false;
    QueryNames now = {0};
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    bool every_state, target_first = false;
    if (!collect_casts(pl, m, t, was, &now) || !in_place_trigger_known(pl, m, &now, &every_state) ||
        (every_state && !read_in_every_state(pl, t, &now, was)) || !query_takes_casts(pl, m, was, &now) ||
        !target_takes(pl, m, target, mv_was, every_state, &target_first))
        return false;
    m->target_first = target_first;
    return !target_first || table_order_first(pl, target, t);
}

/* A bridge carried from the previous plan came after its target's ALTERs
 * there (target_takes): it does again. */
static bool carried_after_target(Plan *pl, const Managed *m, int at)
{
    const Managed *target = plan_managed_of(pl, m->obj->target), *t = plan_managed_of(pl, m->obj->trigger);
    const ManifestEntry *e = target ? manifest_entry(&pl->prev, target->qname) : NULL;
    for (int i = 0; e && i < e->steps.n; i++)
        if (e->steps.v[i] < at && strcmp(pl->prev.steps.v[e->steps.v[i]].action, "alter") == 0)
            return t && table_order_first(pl, target, t);
    return false;
}

void plan_type_bridge(Plan *pl, Managed *m)
{
    if (m->decl->kind != DECL_MV || !m->obj || !m->prev || !m->prev->hash || m->in_place != IN_PLACE_NO)
        return;
    int at = bridge_carried(pl, m, "type");
    if (at >= 0) {
        m->bridge_copy = at + 1; /* its statement as that plan had it */
        m->target_first = carried_after_target(pl, m, at);
        bridge_set(pl, m, "type", pl->prev.steps.v[at].guard + strlen("when="));
        return;
    }
    if (strcmp(m->prev->hash, m->hash) == 0)
        return;
    if (!proved(pl, m)) {
        m->target_first = false;
        m->cast_names.n = m->cast_types.n = 0;
        m->bridge_qualifier = (Name){0};
        return;
    }
    bridge_set(pl, m, "type", m->prev->hash);
    m->in_place_retyped = true;
}
