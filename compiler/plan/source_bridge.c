/* A plain MV whose trigger retypes or renames a column the new query
 * reads (or the one table it joins does, or both), where MODIFY QUERY on either side of the ALTERs is not
 * exact (in_place.c): the query changed too, so the old query over the
 * new type is neither version; one part of the query reads two retyped
 * columns, `a + b`, over a trigger whose ALTERs retype them one at a
 * time; or a column renamed, which the old query cannot read after the
 * RENAME nor the new one before it (code 47). Taken to its new query with
 * no window by a bridge (bridge.c):
 *   1. MODIFY QUERY to the new query reading each such column as
 *      `CAST(source.col AS NewType)`, or, renamed, as
 *      `identity(COLUMNS('^(old|new)$'))` (cast too where its type
 *      changes), before the trigger's ALTERs (in a query that joins
 *      two tables, so inside a subquery that stands for the changing
 *      one: query_joins_through_subquery);
 *   2. the trigger's RENAME COLUMN and MODIFY COLUMN (its ALTER chain);
 *   3. MODIFY QUERY to the new query.
 * Why it is exact (tried on chDB 26.5, the analyzer on and off): an
 * insert runs the MV's query as it stands over the block as the trigger
 * stands when the insert starts, and expands COLUMNS then: to the old
 * name before the RENAME, to the new one after it (one of the two is
 * there at any time). Before step 1 that is the old query, as before the
 * release. From step 1 on it is the new query over each value as the
 * trigger's new column holds it: cast from the old type before the
 * ALTER, the value itself after it, by whichever name. The cast is the
 * conversion the ALTER makes of the rows already there (alter_cast_alike:
 * a widening, or a number wrapped or rounded; alter_cast_fails_alike: a
 * String or a float read as an integer, a Decimal's scale or width
 * changed, which fail on a value exactly where the ALTER does: such a
 * value's block reaches the trigger but not the target, the push failing
 * and the insert with it, where a drop and create would have lost every
 * row of the window, and the ALTER fails on it either way); so every row inserted
 * from step 1 on is delivered once, as the new query gives it over the
 * trigger's new columns, whichever of the trigger's states it met.
 * Step 3 only takes the bridge away.
 *
 * Only where the bridge can say exactly that: the new query reads of its
 * trigger only columns it had in the state the old query ran beside, by
 * their name there or renamed (plain names, the old one no longer there,
 * and an alias of the old name over another expression only where the
 * query reads that name nowhere else: hides_old_name), each retyped one
 * cast as its ALTER converts it, or columns the release adds (read as
 * they are: the trigger's ADDs then come first and the bridge after
 * them, alter.c, where alter_adds_can_lead); a single SELECT from the
 * trigger alone (no WITH, join, ARRAY JOIN, lambda, subquery, `*` or
 * COLUMNS to scope its names), which names no such column through a path
 * (the bridge reads them as `source.col`, which no alias shadows; an
 * alias of such a name has its own expression read so and its other
 * references left to it: alias_within); or of the trigger joined with one
 * table, each of the two whose columns change read through a subquery
 * that gives them as they will be (query_joins_through_subquery); no
 * other table it reads changes; and its outputs reach the target's
 * columns as they stand before the
 * target's ALTERs, each there with a type that keeps its value
 * (in_place_types.c), since the bridge writes them from step 1 on; else
 * the target's ALTERs come first (target_takes), or, where the target
 * renames what the MV writes and nothing else of it, the bridge writes
 * each such output under both names (rename_bridge.c). Anything else
 * keeps the drop and create with its declared gap. */
#include <string.h>

#include "plan/plan.h"
#include "project/types.h"
#include "project/versions.h"
#include "syntax/walk.h"
#include "typing/signature.h"

/* A DEFAULT that is a constant the same at any time: a literal, or a
 * negated number. */
static bool constant_default(const Expr *e)
{
    if (e && e->kind == EX_UNARY && e->u.x.a && (e->u.x.a->kind == EX_INTEGER || e->u.x.a->kind == EX_FLOAT))
        return true;
    return e && (e->kind == EX_INTEGER || e->kind == EX_FLOAT || e->kind == EX_STRING || e->kind == EX_BOOL);
}

/* A column that stops being Nullable (`narrow column`), from 25.8 where
 * the ALTER gives its NULLs a DEFAULT (alter.c): its type's default, for
 * a column with no DEFAULT of its own: the bridge reads it as
 * `ifNull(CAST(c AS Nullable(T)), defaultValueOfTypeName('T'))`, what the
 * ALTER makes of every value (tried on chDB 26.5: an Int64 narrowed to
 * Int32, a String, a Float64 to Float32, a Date, NULLs and out of range
 * values alike), each value cast as alter_cast_alike takes it. T must be
 * one Nullable can hold. With a constant DEFAULT of its own (*def, its
 * text), as the ALTER's own conversion reads it: `CAST(ifNull(c, DEFAULT)
 * AS T)` (the server's `_CAST(ifNull(c, DEFAULT), 'T')`; tried the same
 * way, out of range defaults included). */
static bool unnulled_as_alter(Plan *pl, const Decl *d, Name name, const Type *from, const Type *to, const char **def)
{
    if (from->kind != TY_NULLABLE || to->kind == TY_NULLABLE || to->kind == TY_LOWCARDINALITY ||
        to->kind == TY_ARRAY || to->kind == TY_MAP || to->kind == TY_TUPLE || to->kind == TY_NESTED ||
        to->kind == TY_AGGREGATE || to->kind == TY_SIMPLE_AGGREGATE || to->kind == TY_JSON ||
        to->kind == TY_DYNAMIC || to->kind == TY_VARIANT || to->kind == TY_GEO ||
        !version_has_feature(&pl->project->options, F_MODIFY_NULL_DEFAULT) || !alter_cast_alike(from->elems[0], to))
        return false;
    for (int i = 0; i < d->columns.n; i++) {
        const ColumnMods *mods = d->columns.v[i]->mods;
        if (!name_eq(d->columns.v[i]->name, name))
            continue;
        if (!mods || !mods->default_kind)
            return true;
        if (mods->default_kind != DEF_DEFAULT || !constant_default(mods->default_expr))
            return false;
        StrBuf b = {0};
        Printer p = {.out = &b, .src = d->file->text, .mode = PRINT_SQL, .db = d->default_db};
        print_expr(&p, mods->default_expr);
        *def = arena_strndup(&pl->project->arena, b.s, b.len);
        strbuf_free(&b);
        return true;
    }
    return false;
}

/* The old name of the trigger's column `name`, where its declaration
 * renames one to it (`rename column old to name`), that one there before
 * and gone now; or NULL. */
static const char *renamed_to(Plan *pl, const Decl *d, const char *name, const PrevColumnList *was,
                              const PrevColumnList *now)
{
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *c = &d->clauses.v[i];
        if (c->kind != CL_RENAME_COLUMN || !name_is(*c->renamed, name))
            continue;
        const char *old = arena_strndup(&pl->project->arena, c->column.s, c->column.len);
        if (prev_column(was, old) && !prev_column(now, old))
            return old;
    }
    return NULL;
}

/* The columns of table t (its trigger, or the table it joins) the new
 * query reads (`reads`) that change type or name, into m->source_names,
 * source_types, source_from and source_table (one the release adds:
 * m->bridge_after); false when the query reads one whose change the
 * bridge cannot read (alter_cast_alike, alter_cast_fails_alike). */
static bool collect_sources(Plan *pl, Managed *m, const Managed *t, const PrevState *was, const QueryNames *reads)
{
    Arena *a = &pl->project->arena;
    PrevState now = {0};
    hash_table_columns(pl, t->decl, &now);
    for (int i = 0; i < now.columns.n; i++) {
        const PrevColumn *c = &now.columns.v[i], *w = prev_column(&was->columns, c->name);
        Name name = {.s = c->name, .len = (uint32_t)strlen(c->name)}, replaced;
        const char *from = NULL;
        if (!query_names_mention(reads, c->name))
            continue;
        if (w && ast_decl_replaces_column(t->decl, name, &replaced))
            return false;
        if (!w) {
            from = renamed_to(pl, t->decl, c->name, &was->columns, &now.columns);
            if (!from) {
                if (m->bridge_after && m->bridge_after != t->obj)
                    return false; /* one table's ADDs lead the bridge (plan_drop_dependents) */
                m->bridge_after = t->obj; /* added: read as it is, after its ADD (alter.c) */
                continue;
            }
            if (!ast_plain_chars(from, (uint32_t)strlen(from)) || !ast_plain_chars(name.s, name.len))
                return false;
            w = prev_column(&was->columns, from);
        }
        bool retyped = strcmp(w->type, c->type) != 0, unnulled = false;
        const char *def = NULL;
        const Type *old = typestring_parse(pl->project, w->type), *new = typestring_parse(pl->project, c->type);
        if (retyped && (!old || !new || strcmp(c->type, "Unknown") == 0 ||
                        !(alter_cast_alike(old, new) || alter_cast_fails_alike(old, new) ||
                          (unnulled = unnulled_as_alter(pl, t->decl, name, old, new, &def)))))
            return false;
        if (!retyped && !from)
            continue;
        *LIST_PUSH(a, &m->source_names) = c->name;
        *LIST_PUSH(a, &m->source_types) = retyped ? c->type : NULL;
        *LIST_PUSH(a, &m->source_from) = from;
        *LIST_PUSH(a, &m->source_unnulled) = unnulled;
        *LIST_PUSH(a, &m->source_default) = def;
        *LIST_PUSH(a, &m->source_table) = t;
    }
    return true;
}

/* The names the bridge reads of the trigger's previous state: the new
 * query's, and the old names of the columns it reads renamed. */
static QueryNames *previous_reads(Plan *pl, const Managed *m, const QueryNames *reads)
{
    QueryNames *q = arena_zalloc(&pl->project->arena, sizeof *q);
    q->tables = reads->tables;
    q->star = reads->star;
    for (int i = 0; i < reads->names.n; i++)
        *LIST_PUSH(&pl->project->arena, &q->names) = reads->names.v[i];
    for (int i = 0; i < m->source_from.n; i++)
        if (m->source_from.v[i])
            *LIST_PUSH(&pl->project->arena, &q->names) =
                (Name){.s = m->source_from.v[i], .len = (uint32_t)strlen(m->source_from.v[i])};
    return q;
}

/* Every state of the trigger the previous plan knew has each column the
 * bridge reads (their types are trigger_states_known's). */
static bool read_in_every_state(const Plan *pl, const Managed *t, const QueryNames *reads, const PrevState *was)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        for (int k = 0; strcmp(s->kind, "table") == 0 && k < was->columns.n; k++)
            if (query_names_mention(reads, was->columns.v[k].name) && !prev_column(&s->columns, was->columns.v[k].name))
                return false;
    }
    return true;
}

/* What the new query holds that the bridge must know of. */
typedef struct Seek {
    const Plan *pl;
    const Managed *m;
    bool defines_cast;   /* an alias the bridge cannot read around */
    bool scoped;         /* COLUMNS, *: names not simply the source's */
    bool lambda;         /* a lambda, whose parameters may be named like such a column */
    bool subquery;       /* a subquery, whose names are its own tables' */
    bool reads_changing; /* a subquery reading the trigger or a table of the MV that changes */
    bool cast_path;      /* `t.col` or `col.x`: a path through such a column's name */
    bool bare;           /* such a column's name alone */
    bool old_alias;      /* an alias named a renamed column's old name, over another expression */
    bool old_bare;       /* a renamed column's old name alone */
    bool deep_path;      /* a name of three parts or more (`db.table.col`, `t.tuple.field`) */
    bool cast_head;      /* `col.x`: a path from such a column's name, which a subquery's column may not answer */
} Seek;

static bool is_cast(const Managed *m, Name n)
{
    for (int i = 0; i < m->source_names.n; i++)
        if (name_is(n, m->source_names.v[i]))
            return true;
    return false;
}

/* An alias named a renamed column's old name, other than that column
 * itself under it (`user_id AS uid`, the common way to keep an output's
 * name): before the RENAME
 * another reference to the old name could be the column as well as the
 * alias (prefer_column_name_to_alias), which is the same value only
 * then; so such an alias is taken only where the query reads the old
 * name nowhere else (Seek.old_bare). The alias alone is no reference:
 * `upper(identity(COLUMNS('^(label|title)$'))) AS label` reads the column
 * on both sides of the RENAME (chDB 26.5, either analyzer). */
static bool hides_old_name(const Managed *m, const Expr *e)
{
    const Expr *x = ast_unalias(e);
    const NameList *parts = x->kind == EX_COLUMN ? &x->u.path.parts : NULL;
    bool own = parts && parts->n == 1;
    for (int i = 0; e->kind == EX_ALIAS && i < m->source_from.n; i++)
        if (m->source_from.v[i] && name_is(e->name, m->source_from.v[i]))
            return !(own && name_is(parts->v[parts->n - 1], m->source_names.v[i]));
    return false;
}

static WalkResult find_alias(Walker *w, Expr *e)
{
    *(bool *)w->ctx |= e->kind == EX_ALIAS;
    return WALK_CONTINUE;
}

/* An alias named like a column the bridge reads (`toStartOfHour(ts) AS
 * ts`): the bridge reads the column inside the alias's own expression,
 * where a reference is the column, and leaves the others, which are the
 * alias (print.c). Not where another alias stands inside it: a reference
 * there would be printed as that one's. */
static bool alias_within(Expr *e)
{
    bool found = false;
    Walker w = {.expr = find_alias, .ctx = &found};
    walk_expr(&w, e->u.x.a);
    return found;
}

static WalkResult seek(Walker *w, Expr *e)
{
    Seek *s = w->ctx;
    s->old_alias |= e->kind == EX_ALIAS && hides_old_name(s->m, e);
    s->defines_cast |= e->kind == EX_ALIAS && is_cast(s->m, e->name) && alias_within(e);
    s->scoped |= e->kind == EX_COLUMNS || e->kind == EX_STAR;
    s->lambda |= e->kind == EX_LAMBDA;
    s->subquery |= e->kind == EX_SUBQUERY || e->kind == EX_EXISTS;
    const NameList *parts = e->kind == EX_COLUMN ? &e->u.path.parts : NULL;
    for (int i = 0; parts && parts->n > 1 && i < parts->n; i++)
        s->cast_path |= is_cast(s->m, parts->v[i]);
    s->bare |= parts && parts->n == 1 && is_cast(s->m, parts->v[0]);
    for (int i = 0; parts && parts->n == 1 && i < s->m->source_from.n; i++)
        s->old_bare |= s->m->source_from.v[i] && name_is(parts->v[0], s->m->source_from.v[i]);
    s->deep_path |= parts && parts->n > 2;
    s->cast_head |= parts && parts->n > 1 && is_cast(s->m, parts->v[0]);
    return WALK_CONTINUE;
}

static bool table_changed(const Managed *t)
{
    return !t->prev || !t->prev->hash || strcmp(t->prev->hash, t->hash) != 0;
}

/* A subquery of the new query (`WHERE sku IN (SELECT sku FROM
 * allowed)`) that names the MV's trigger or a table of it that changes:
 * it would read that table as it stands, not as the bridge gives it. */
static WalkResult seek_select(Walker *w, Select *q)
{
    Seek *s = w->ctx;
    for (int i = 0; q != s->m->decl->query && i < q->from.n; i++)
        for (int k = 0; q->from.v[i]->kind == FROM_TABLE && k < s->m->obj->reads.n; k++) {
            const Managed *r = plan_managed_of(s->pl, s->m->obj->reads.v[k]);
            s->reads_changing |= r && r->decl && name_eq(q->from.v[i]->table.name, r->decl->name.name) &&
                                 (r->obj == s->m->obj->trigger || table_changed(r));
        }
    return WALK_CONTINUE;
}

/* The new query reads each such column plainly, from its trigger alone:
 * the bridge can read each of them where it stands. */
static bool query_takes_casts(Managed *m, const PrevState *trigger_was, const QueryNames *now)
{
    Select *q = m->decl->query;
    const FromItem *f = q->from.n == 1 ? q->from.v[0] : NULL;
    if (q->next || now->star || q->with.n || !f || f->kind != FROM_TABLE || f->array_items.n || f->column_aliases.n)
        return false;
    Seek s = {.m = m};
    Walker w = {.expr = seek, .ctx = &s};
    walk_select(&w, q);
    if (s.defines_cast || (s.old_alias && s.old_bare) || s.scoped || s.lambda || s.subquery || s.cast_path)
        return false;
    m->bridge_qualifier = f->alias.len ? f->alias : f->table.name;
    /* A source column of the qualifier's name would make it a path. */
    return !prev_column_named(&trigger_was->columns, m->bridge_qualifier);
}

enum {
    MAX_BRIDGED = 8, /* tables of one join the bridge reads through subqueries */
    MAX_NAMED = 8,   /* times one table is named in the join */
};

/* The new query joins its trigger with other tables, and t, one of them,
 * changes its columns (or reads its trigger alone where
 * query_takes_casts cannot): the bridge reads t through a subquery (bridge.c,
 * sub_query) that gives t's columns as they will be, each retyped one
 * cast as its ALTER converts it, each renamed one under either name,
 * `identity(COLUMNS('^(old|new)$'))`, a pattern that sees t alone (the
 * others may have either name); the query around it is the new query as
 * written, whatever it reads of t and where (the ON clause, USING, any
 * join kind). A trigger so wrapped is still the MV's trigger: an
 * insert's block stands for it inside the subquery (chDB 26.5, the
 * analyzer on and off; a WITH of expressions around it too:
 * `WITH toStartOfHour(ts) AS h` reads the subquery's `ts`). Where: a
 * single SELECT of tables, and of arrays joined (ARRAY JOIN), only (no
 * CTE, SAMPLE of t, `*`, COLUMNS, or subquery that reads a changing
 * table, which could read t's columns by other ways; no name of three
 * parts, `db.t.col`, which the subquery's name would not answer); the
 * trigger named once, first; a joined table named once or more (`users
 * AS buyer`, `users AS seller`), each through a subquery of its own. A
 * lambda's parameters are its own around the subquery as around the
 * table.
 * The subquery gives each column of t the query names (by any table's
 * name: one more item is harmless), so t's ALIAS and MATERIALIZED columns
 * too. */
static bool query_joins_through_subquery(Plan *pl, Managed *m, const Managed *t, const QueryNames *now)
{
    Select *q = m->decl->query;
    const FromItem *named[MAX_NAMED];
    int n = 0;
    if (q->next || now->star || !q->from.n)
        return false;
    for (int i = 0; i < q->with.n; i++)
        if (q->with.v[i].query)
            return false; /* a CTE: a query of its own, which may read t */
    for (int i = 0; i < q->from.n; i++) {
        const FromItem *f = q->from.v[i];
        if (f->kind == FROM_ARRAY_JOIN && i > 0)
            continue; /* `ARRAY JOIN o.tags AS tag`: read around the subqueries as written */
        if (f->kind != FROM_TABLE || f->is_join != (i > 0) || f->column_aliases.n)
            return false;
        if (!name_eq(f->table.name, t->decl->name.name))
            continue;
        if (n == MAX_NAMED || f->sample || (t->obj == m->obj->trigger) != (f == q->from.v[0]))
            return false; /* the trigger is named once, first: an insert's block stands for it there */
        named[n++] = f;
    }
    if (!n)
        return false;
    Seek s = {.pl = pl, .m = m};
    Walker w = {.expr = seek, .select = seek_select, .ctx = &s};
    walk_select(&w, q);
    if (s.scoped || s.reads_changing || s.deep_path || s.cast_head)
        return false;
    PrevState cols = {0};
    hash_table_columns(pl, t->decl, &cols);
    for (int k = 0; k < n; k++) { /* a table joined twice (`users AS buyer`, `users AS seller`): a subquery each */
        BridgeSub *sub = LIST_PUSH(&pl->project->arena, &m->bridge_subs);
        *sub = (BridgeSub){.table = t, .item = named[k]};
        for (int i = 0; i < cols.columns.n; i++)
            if (query_names_mention(now, cols.columns.v[i].name))
                *LIST_PUSH(&pl->project->arena, &sub->columns) = cols.columns.v[i].name;
    }
    return true;
}

/* Every column of `outputs` is in `cols`. */
static bool has_all(const PrevColumnList *cols, const PrevColumnList *outputs)
{
    for (int i = 0; i < outputs->n; i++)
        if (!prev_column(cols, outputs->v[i].name))
            return false;
    return true;
}

/* Every old output of the MV (`old`) is in the target's new columns
 * (`now`), or the target drops it (`drop column`, not renamed away), in
 * which case *drops. */
static bool outputs_kept_or_dropped(const Decl *target, const PrevColumnList *now, const PrevColumnList *old,
                                    bool *drops)
{
    for (int i = 0; i < old->n; i++) {
        if (prev_column(now, old->v[i].name))
            continue;
        for (int k = 0; k < target->clauses.n; k++)
            if (target->clauses.v[k].kind == CL_RENAME_COLUMN && name_is(target->clauses.v[k].column, old->v[i].name))
                return false; /* renamed: the rename bridge's */
        *drops = true;
    }
    return true;
}

/* Where the bridge's outputs (the new query's) can meet the target: as
 * it is before its ALTERs (each output there, in every state the target
 * may be in, with a type that keeps its value), the bridge then first;
 * else, with *target_first, after the target's ALTERs, which then come
 * before the trigger's (table_order.c): the old query, running until the
 * bridge, must then find each of its outputs in the target's new columns
 * with a type that keeps its value (a column passed through and widened
 * in both tables), or one the target drops, whose DROP COLUMN then waits
 * for the bridge, the last of the target's steps before it
 * (m->bridge_at_drops: the old query writes that column until the
 * bridge, and the new query does not); not where the bridge must wait
 * for ADDs of a table it reads (m->bridge_after), whose chain comes after
 * the target's. */
static bool target_takes(Plan *pl, Managed *m, const Managed *target, const PrevState *mv_was, bool every_state,
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
    in_place_output_casts(pl, target, &mv_was->columns, &m->shape, every_state, &after_ok, &before_ok, NULL);
    if (fits && before_ok)
        return true;
    PrevState now = {0};
    hash_table_columns(pl, target->decl, &now);
    bool drops = false;
    *target_first = after_ok && outputs_kept_or_dropped(target->decl, &now.columns, &mv_was->columns, &drops) &&
                    has_all(&now.columns, &m->shape) && !(drops && m->bridge_after);
    m->bridge_at_drops = *target_first && drops;
    return *target_first;
}

/* The tables whose columns the bridge reads cast, into out[0..]: its
 * trigger, if it changes or nothing else does, and each other table it
 * reads that changes (query_joins_through_subquery then takes them only
 * in a join). 0 where it reads its target, or more than MAX_BRIDGED
 * tables change. Every other table it reads has the previous plan's
 * hash. */
static int bridged_tables(const Plan *pl, const Managed *m, const Managed *out[MAX_BRIDGED])
{
    const Managed *trigger = plan_managed_of(pl, m->obj->trigger);
    int n = trigger && table_changed(trigger) ? 1 : 0;
    if (n)
        out[0] = trigger;
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (m->obj->reads.v[i] == m->obj->target)
            return 0;
        if (!r || !r->obj || r->obj->kind != OBJ_TABLE || r == trigger || !table_changed(r))
            continue;
        if (n == MAX_BRIDGED)
            return 0;
        out[n++] = r;
    }
    if (!n && trigger)
        out[n++] = trigger;
    return n;
}

/* The new query reads the bridged table's columns where the bridge can
 * cast them: the trigger's alone, each where it stands
 * (query_takes_casts), or through a subquery of it where that cannot be
 * (a WITH of its own names, say); in a join, those of each changing table
 * through a subquery (query_joins_through_subquery), the others' columns
 * as they stand. */
static bool query_reads_casts(Plan *pl, Managed *m, const Managed *t, const PrevState *was, const QueryNames *now)
{
    if (t->obj == m->obj->trigger && m->decl->query->from.n == 1 && query_takes_casts(m, was, now))
        return true;
    m->bridge_qualifier = (Name){0};
    return query_joins_through_subquery(pl, m, t, now);
}

/* Table t's part of the bridge: the columns it reads of t, known in every
 * state t may be in, read where the bridge can cast them. */
static bool proved_table(Plan *pl, Managed *m, const Managed *t, const QueryNames *now, bool *every_state)
{
    const PrevState *was = t->prev && t->prev->hash ? manifest_state(&pl->prev, t->qname, t->prev->hash) : NULL;
    if (!was || !t->decl || !collect_sources(pl, m, t, was, now))
        return false;
    const QueryNames *before = previous_reads(pl, m, now);
    return in_place_table_known(pl, m, t, before, every_state) &&
           (!*every_state || read_in_every_state(pl, t, before, was)) && query_reads_casts(pl, m, t, was, now);
}

/* The bridge reads a column one of its tables (lead) adds, or writes
 * one its target (lead) adds: it opens after that table's ADDs (alter.c),
 * so the old query runs across them, and before the ALTERs of every other
 * table it reads, whose chains then come after lead's (table_order.c; by
 * name they might come first, and the old query would meet their
 * ALTERs), and before the target's unless target_takes put those first. */
static bool adds_lead(Plan *pl, const Managed *m, const Managed *const *ts, int n, const Managed *target)
{
    const Managed *lead = plan_managed_of(pl, m->bridge_after);
    if (!lead || !alter_adds_can_lead(pl, lead))
        return false;
    for (int i = 0; i < n; i++)
        if (ts[i] != lead && !table_order_first(pl, lead, ts[i]))
            return false;
    return lead == target || m->target_first || !table_changed(target) || table_order_first(pl, lead, target);
}

/* Each of the n tables is read through a subquery (or more). */
static bool each_through_subquery(const Managed *m, const Managed *const *ts, int n)
{
    for (int i = 0; i < n; i++) {
        bool found = false;
        for (int k = 0; k < m->bridge_subs.n; k++)
            found |= m->bridge_subs.v[k].table == ts[i];
        if (!found)
            return false;
    }
    return true;
}

/* An MV swapped into a new target (m->swap_bridge): its shadow, made
 * with the bridge query before the ALTERs of the tables it reads, writes
 * into the new target from then on, which must be there and as it will
 * be: new, or unchanged, its CREATE before those ALTERs (table_order.c).
 * Where the bridge reads what a table adds (lead), the shadow comes
 * after that table's ADDs, before every other table's ALTERs. */
static bool swap_takes(Plan *pl, Managed *m, const Managed *const *ts, int n, const Managed *target)
{
    if (target->prev && table_changed(target))
        return false;
    for (int i = 0; i < n; i++)
        if (!table_order_first(pl, target, ts[i]))
            return false;
    m->bridge_table = ts[0];
    const Managed *lead = plan_managed_of(pl, m->bridge_after);
    if (m->bridge_after && (!lead || !alter_adds_can_lead(pl, lead)))
        return false;
    for (int i = 0; lead && i < n; i++)
        if (ts[i] != lead && !table_order_first(pl, lead, ts[i]))
            return false;
    return true;
}

static bool proved(Plan *pl, Managed *m)
{
    const Managed *ts[MAX_BRIDGED] = {0}, *target = plan_managed_of(pl, m->obj->target);
    int n = bridged_tables(pl, m, ts);
    const PrevState *mv_was = manifest_state(&pl->prev, m->qname, m->prev->hash);
    if (!n || !mv_was || !target || !target->decl || !in_place_reads_kept(pl, m, NULL))
        return false;
    QueryNames now = {0};
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    bool every_state = false, target_first = false;
    for (int i = 0; i < n; i++)
        if (!proved_table(pl, m, ts[i], &now, &every_state))
            return false;
    if (!m->source_names.n)
        return false; /* nothing it reads changes: in_place.c's */
    /* Two tables or more: each through its subqueries. */
    if (n > 1 && !each_through_subquery(m, ts, n))
        return false;
    if (m->swap_bridge)
        return swap_takes(pl, m, ts, n, target);
    /* The target renames outputs: the bridge writes each under both
     * names too (rename_bridge.c; through subqueries only where the query
     * reads none of the old names, which it could not read qualified),
     * and the outputs the target adds, after its ADDs: the bridge then
     * opens there (alter.c), not after ADDs of a table it reads too. */
    bool added = false;
    if (!target_takes(pl, m, target, mv_was, every_state, &target_first) &&
        !rename_bridge_target(pl, m, mv_was, m->bridge_subs.n > 0, &added))
        return false;
    if (added && m->bridge_after)
        return false;
    if (added)
        m->bridge_after = target->obj;
    m->bridge_table = ts[0];
    m->target_first = target_first;
    for (int i = 0; i < n; i++)
        if (target_first && !table_order_first(pl, target, ts[i]))
            return false;
    return !m->bridge_after || adds_lead(pl, m, ts, n, target);
}

/* The table whose ALTERs the previous plan's bridge step `at` spanned:
 * the first after it of the tables the MV reads (its trigger, or the
 * table it joins). */
static const Managed *carried_bridge_table(Plan *pl, const Managed *m, int at)
{
    for (int i = at + 1; i < pl->prev.steps.n; i++)
        for (int k = 0; k < m->obj->reads.n; k++) {
            const Managed *r = plan_managed_of(pl, m->obj->reads.v[k]);
            if (r && r->obj && r->obj->kind == OBJ_TABLE && r->obj != m->obj->target &&
                strcmp(pl->prev.steps.v[i].qname, r->qname) == 0 && strcmp(pl->prev.steps.v[i].action, "alter") == 0)
                return r;
        }
    return plan_managed_of(pl, m->obj->trigger);
}

/* A bridge carried from the previous plan came after its target's ALTERs
 * there (target_takes): it does again, the target's chain before those of
 * every table it reads that was altered after it there (as target_takes
 * ordered them, the one whose ADDs lead the bridge too). */
static bool carried_after_target(Plan *pl, const Managed *m, int at)
{
    const Managed *target = plan_managed_of(pl, m->obj->target), *t = carried_bridge_table(pl, m, at);
    const ManifestEntry *e = target ? manifest_entry(&pl->prev, target->qname) : NULL;
    int first = -1;
    for (int i = 0; e && i < e->steps.n && first < 0; i++)
        if (e->steps.v[i] < at && strcmp(pl->prev.steps.v[e->steps.v[i]].action, "alter") == 0)
            first = e->steps.v[i];
    if (first < 0 || !t || !table_order_first(pl, target, t))
        return false;
    for (int k = 0; k < m->obj->reads.n; k++) {
        const Managed *r = bridge_table_of(pl, m, k);
        if (r && r != target && plan_prev_altered_after(pl, r, first) && !table_order_first(pl, target, r))
            return false;
    }
    return true;
}

/* What proved() may have set of m, unset. */
static void forget(Managed *m)
{
    m->target_first = false;
    m->bridge_table = NULL;
    m->bridge_after = NULL;
    m->source_names.n = m->source_types.n = m->source_from.n = m->source_unnulled.n = m->source_default.n = 0;
    m->bridge_old.n = m->bridge_new.n = m->bridge_subs.n = m->source_table.n = 0;
    m->bridge_qualifier = (Name){0};
    m->bridge_at_drops = false;
}

bool source_bridge_swap(Plan *pl, Managed *m)
{
    m->swap_bridge = true;
    if (m->in_place != IN_PLACE_NO || !m->prev->hash || !proved(pl, m)) {
        forget(m);
        m->swap_bridge = false;
        return false;
    }
    bridge_set(pl, m, "swap", m->prev->hash);
    m->in_place_retyped = true;
    return true;
}

bool source_bridge_swap_carried(Plan *pl, Managed *m, const char *from, int at)
{
    const PrevStep *swap = at + 2 < pl->prev.steps.n ? &pl->prev.steps.v[at + 2] : NULL;
    const Managed *target = plan_managed_of(pl, m->obj->target);
    if (!swap || strcmp(swap->action, "swap") != 0 || !swap->sets || !target || !bridge_carried_lead_first(pl, m, at))
        return false;
    bridge_set(pl, m, "swap", from);
    if (strcmp(swap->sets, m->bridge) != 0) {
        m->in_place = IN_PLACE_NO;
        return false;
    }
    m->swap_bridge = true;
    m->bridge_copy = m->bridge_carried_at = at + 1; /* its three statements as that plan had them */
    m->bridge_table = carried_bridge_table(pl, m, at);
    for (int k = 0; k < m->obj->reads.n; k++) { /* as swap_takes ordered them: the tables altered after it */
        const Managed *r = bridge_table_of(pl, m, k);
        if (r && r != target && plan_prev_altered_after(pl, r, at) && !table_order_first(pl, target, r)) {
            m->in_place = IN_PLACE_NO;
            m->swap_bridge = false;
            m->bridge_copy = m->bridge_carried_at = 0;
            return false;
        }
    }
    return true;
}

void plan_source_bridge(Plan *pl, Managed *m)
{
    if (m->decl->kind != DECL_MV || !m->obj || !m->prev || !m->prev->hash || m->in_place != IN_PLACE_NO)
        return;
    int at = bridge_carried(pl, m, "source");
    if (at >= 0 && bridge_carried_lead_first(pl, m, at)) {
        m->bridge_copy = m->bridge_carried_at = at + 1; /* its statement as that plan had it */
        m->target_first = carried_after_target(pl, m, at);
        m->bridge_table = carried_bridge_table(pl, m, at);
        bridge_set(pl, m, "source", pl->prev.steps.v[at].guard + strlen("when="));
        return;
    }
    if (strcmp(m->prev->hash, m->hash) == 0)
        return;
    if (!proved(pl, m)) {
        forget(m);
        return;
    }
    bridge_set(pl, m, "source", m->prev->hash);
    m->in_place_retyped = true;
}
