/* Whether a plain MV whose query changed can be taken from its previous
 * state to the new one by MODIFY QUERY with no row lost, and where: after
 * the ALTERs of its tables, before them, or between (docs/mv-changes.md,
 * "In place: ALTER, then MODIFY QUERY"). Plain: no column list of its own, or one
 * that is its query's outputs (mv_list.c), which MODIFY QUERY keeps.
 *
 * What was tried on chDB 26.5 and decides the rules here:
 * - MODIFY QUERY replaces the MV's columns with the new SELECT's outputs
 *   and does not look at the target: an output the target lacks is
 *   silently not written (its values lost). So a column the new query
 *   writes is added to the target first; the old query, running until the
 *   MODIFY QUERY, leaves it at its default, as in the rows already there.
 * - A column the old query reads cannot be dropped from the source while
 *   the MV uses it (code 524); renamed, every insert fails (code 47). So a
 *   column the old query mentions and the release drops goes after the
 *   MODIFY QUERY; a release that does both puts it between its tables'
 *   other ALTERs and their DROP COLUMNs (alter.c holds those back); a
 *   rename is both at once and stays drop and create.
 * - An insert runs the MV's query as it stands over the source's types of
 *   that moment and casts each output into the target's column of that
 *   name. A type changed under a column the MVs write (the target's) is
 *   in place where every cast in the window between the ALTER and the
 *   MODIFY QUERY is a widening (in_place_types.c), which decides the
 *   side. One changed under a column of its trigger that the query reads,
 *   or of a table it joins (read as it stands when an insert runs; tried
 *   on chDB 26.5: a price widened under a join is read whole by the next
 *   insert), is in place only when the query's text is unchanged (the
 *   old query over the new type is then the new one, whose outputs are
 *   typed), the columns of one table only, with the casts widening
 *   whichever of that table and the target is altered first, or with
 *   the target's ALTERs ordered first where only that order widens (a
 *   column passed through, widened in both), that table's where only
 *   that one does (narrowed in both: a value the narrowed target
 *   refuses would otherwise fail the MV's push after the source has the
 *   row; table_order.c). Two or more such columns: only where no part of
 *   the query reads two of them (in_place_apart.c: the table's ALTERs
 *   change one column at a time). Any other type
 *   change under what the queries read: drop and create. One under a
 *   column only the old query reads (the new one stops reading it) is
 *   as a column dropped: the MODIFY QUERY before the ALTERs, the old
 *   query never meeting the new type, the new one never reading it.
 * - MODIFY QUERY whose SELECT reads another table moves the MV to that
 *   trigger: with outputs the target adds, after the target's ADDs, and
 *   before the DROP COLUMNs of those it drops, where the old query read
 *   only its old trigger, altered nowhere it reads (trigger_moved).
 * The previous query is read back from the previous plan (the statement
 * that set that state); the names it mentions are a superset of what it
 * reads, so every rule errs towards drop and create. */
#include <string.h>

#include "plan/plan.h"
#include "print/print.h"
#include "project/versions.h"
#include "syntax/parse.h"

/* A query read back: the names it mentions, and the text they point into. */
typedef struct Query {
    QueryNames names;
    const char *src;
    /* Set by a CREATE with a column list of its own (`TO t (...) AS`):
     * the state's @column lines are that list, which may name other
     * columns and types than the query writes (mv_list.c). */
    bool listed;
} Query;

/* The previous plan's SELECT for the MV in state `hash`, from the CREATE
 * or MODIFY QUERY that set it; false when there is none or when it does
 * not parse. */
static bool previous_query(Plan *pl, const Managed *m, const char *hash, Query *out, Select **q)
{
    Project *p = pl->project;
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (!s->sql || !s->sets || strcmp(s->sets, hash) != 0 || strcmp(s->kind, "materialized-view") != 0)
            continue;
        bool create = strcmp(s->action, "create") == 0;
        const char *mark = create ? " AS\n" : strcmp(s->action, "modify-query") == 0 ? " MODIFY QUERY\n" : NULL;
        const char *at = mark ? strstr(s->sql, mark) : NULL;
        if (!at)
            continue;
        out->listed = create && at > s->sql && at[-1] == ')';
        at += strlen(mark);
        size_t n = strlen(at);
        while (n && (at[n - 1] == ';' || at[n - 1] == '\n'))
            n--;
        /* The lexer needs a NUL right after the text. */
        SourceFile *f = source_from_string(&p->arena, "(previous plan)", arena_strndup(&p->arena, at, n), n);
        Diags quiet;
        diag_init(&quiet, &p->scratch);
        *q = parse_select_source(&p->arena, &quiet, f);
        if (!*q || quiet.errors)
            continue;
        out->src = f->text;
        query_names_collect(&p->arena, *q, f->text, &out->names);
        return true;
    }
    return false;
}

const char *plan_qname_text(Plan *pl, const char *src, const QName *q, Name db)
{
    StrBuf b = {0};
    Printer p = {.out = &b, .src = src, .mode = PRINT_SQL, .db = db};
    print_qname(&p, q);
    const char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

const Managed *plan_managed_of(const Plan *pl, const Object *o)
{
    return o && o->managed ? &pl->objects.v[o->managed - 1] : NULL;
}

/* Every table the old query names is one the new query reads, and both
 * are fired by the same table: MODIFY QUERY moves no trigger. */
static bool same_tables(Plan *pl, const Managed *m, const Query *old, const Select *q)
{
    const Object *o = m->obj;
    const Managed *trigger = plan_managed_of(pl, o->trigger);
    if (!trigger || !q->from.n || q->from.v[0]->kind != FROM_TABLE ||
        strcmp(plan_qname_text(pl, old->src, &q->from.v[0]->table, m->decl->default_db), trigger->qname) != 0)
        return false;
    for (int i = 0; i < old->names.tables.n; i++) {
        const char *name = plan_qname_text(pl, old->src, &old->names.tables.v[i], m->decl->default_db);
        bool found = false;
        for (int k = 0; k < o->reads.n && !found; k++) {
            const Managed *r = plan_managed_of(pl, o->reads.v[k]);
            found = r && strcmp(r->qname, name) == 0;
        }
        if (!found)
            return false;
    }
    return true;
}

/* What the MV needs of one table's change. */
typedef struct Needs {
    bool after;   /* the new query reads or writes a column the release adds */
    bool before;  /* the old query reads or writes a column the release drops */
    bool refused; /* a column either reads changes its type in two tables, or to one mvdc cannot tell */
    bool retyped; /* a column either writes changes its type (in_place_types.c) */
    int source_retyped; /* columns of one table it reads (its trigger, or one it joins) whose type changes */
    const Managed *retyped_in; /* that table */
    bool renamed; /* a column the old query reads or writes is renamed */
    bool old_retyped; /* a column of a table it reads that only the old query reads changes its type */
    bool old_dropped; /* a column the old query reads or writes is dropped (or replaced) */
    bool before_ok; /* the new query finds what it uses in every state the table may be in */
    bool every_state; /* those are all the states the previous plan knew, not only the previous one */
} Needs;

/* Whether the table's declaration renames the column (`rename column
 * name to ...`): gone by a RENAME, before any ADD (alter.c). */
static bool renamed_away(const Decl *d, const char *name)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == CL_RENAME_COLUMN && name_is(d->clauses.v[i].column, name))
            return true;
    return false;
}

/* Whether this release renames the column away and adds another of its
 * name (`rename column qty to total` and a new `qty`): the name then
 * holds another column, which the ALTERs add after the RENAME. */
static bool renamed_and_added(const Decl *d, const char *name, const PrevColumnList *before, const PrevColumnList *now)
{
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *c = &d->clauses.v[i];
        if (c->kind == CL_RENAME_COLUMN && name_is(c->column, name) && prev_column_named(now, *c->renamed) &&
            !prev_column_named(before, *c->renamed))
            return true; /* renamed in this release, not an earlier one's clause */
    }
    return false;
}

/* Whether this release drops the column and renames another onto its
 * name (`drop column x`, `rename column y to x`, y there before and gone
 * now): the name then holds y's values. */
static bool replaced_now(const Decl *d, const char *name, const PrevColumnList *before, const PrevColumnList *now)
{
    Name from;
    if (!ast_decl_replaces_column(d, (Name){.s = name, .len = (uint32_t)strlen(name)}, &from))
        return false;
    for (int i = 0; i < before->n; i++)
        if (strlen(before->v[i].name) == from.len && memcmp(before->v[i].name, from.s, from.len) == 0)
            return !prev_column(now, before->v[i].name);
    return false;
}

/* Whether `uses` (names the new query reads of this table, or its
 * outputs) finds each of them with its new type in every state the
 * previous plan knew for the table. */
static bool new_query_fits_every_state(const Plan *pl, const char *qname, const PrevColumnList *now,
                                       const QueryNames *reads, const PrevColumnList *outputs)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        if (strcmp(s->kind, "table") != 0)
            continue;
        for (int k = 0; k < now->n; k++) {
            const PrevColumn *c = &now->v[k];
            bool read = reads && query_names_mention(reads, c->name), written = outputs && prev_column(outputs, c->name);
            const PrevColumn *was = read || written ? prev_column(&s->columns, c->name) : NULL;
            /* a written column's type is judged by in_place_output_casts */
            if ((read || written) && (!was || (read && strcmp(was->type, c->type) != 0)))
                return false;
        }
    }
    return true;
}

/* One table the MV reads (reads: the names each query mentions; source:
 * a table it reads that is not its target) or writes (outputs: each
 * query's columns), its previous state against its new one. */
static void table_needs(Plan *pl, const Managed *t, bool source, const QueryNames *old_reads,
                        const QueryNames *new_reads, const PrevColumnList *old_out, const PrevColumnList *new_out,
                        Needs *n)
{
    const PrevState *before = t->prev ? manifest_state(&pl->prev, t->qname, t->prev->hash) : NULL;
    if (!before) {
        n->after = true; /* new, or its columns unknown: only after it is made */
        n->before_ok = false;
        return;
    }
    PrevState now = {0};
    hash_table_columns(pl, t->decl, &now);
    for (int i = 0; i < now.columns.n; i++) {
        const PrevColumn *c = &now.columns.v[i], *was = prev_column(&before->columns, c->name);
        bool read_new = new_reads && query_names_mention(new_reads, c->name), read_old = old_reads && query_names_mention(old_reads, c->name);
        bool wrote_new = new_out && prev_column(new_out, c->name), wrote_old = old_out && prev_column(old_out, c->name);
        bool read = read_new || read_old;
        if (was && (replaced_now(t->decl, c->name, &before->columns, &now.columns) ||
                    renamed_and_added(t->decl, c->name, &before->columns, &now.columns))) {
            /* dropped, and another renamed onto its name (code 524 while the old query reads it); or
             * renamed away, and another added under it: another column of the same name */
            n->before |= read_old || wrote_old;
            n->old_dropped |= read_old || wrote_old;
            n->renamed |= read_old || wrote_old;
            was = NULL;
        }
        if (!was) {
            n->after |= read_new || wrote_new;
        } else if (strcmp(was->type, c->type) != 0 || strcmp(c->type, "Unknown") == 0) {
            /* Read: the query meets the ALTER as it meets its trigger's
             * (the table as it stands when the insert runs), one table
             * at a time; two tables would make a mix mvdc does not type. */
            /* Read by the old query alone: the MODIFY QUERY before the
             * ALTER (and the old query never meets it), as before a DROP. */
            bool old_only = source && read_old && !read_new && strcmp(c->type, "Unknown") != 0;
            n->refused |= read && !old_only &&
                          (!source || strcmp(c->type, "Unknown") == 0 || (n->retyped_in && n->retyped_in != t));
            n->source_retyped += read && source && !old_only;
            n->retyped_in = read && source && !old_only ? t : n->retyped_in;
            n->retyped |= wrote_new || wrote_old;
            n->old_retyped |= old_only;
            n->before |= old_only;
        }
    }
    for (int i = 0; i < before->columns.n; i++) {
        const PrevColumn *c = &before->columns.v[i];
        bool by_old = (old_reads && query_names_mention(old_reads, c->name)) || (old_out && prev_column(old_out, c->name));
        if (!prev_column(&now.columns, c->name)) {
            n->before |= by_old;
            n->old_dropped |= by_old;
            n->renamed |= by_old && renamed_away(t->decl, c->name);
        }
    }
    if (n->every_state && !new_query_fits_every_state(pl, t->qname, &now.columns, new_reads, new_out))
        n->before_ok = false;
}

/* The old query reads one table, declared, which is not the new query's
 * trigger: MODIFY QUERY moves the MV from it to its new trigger. The old
 * query keeps working over it until then, whatever the release does to
 * the MV's new tables; the old trigger is unchanged, or altered where the
 * old query does not read (an ADD, a column it does not mention): its
 * ALTERs, which the MV's setup does not wait for, may then come before or
 * after the move. */
static bool trigger_moved(Plan *pl, const Managed *m, const Query *old, const Select *q, const char **from)
{
    const Managed *trigger = plan_managed_of(pl, m->obj->trigger);
    if (!trigger || old->names.tables.n != 1 || !q->from.n || q->from.v[0]->kind != FROM_TABLE)
        return false;
    const char *name = plan_qname_text(pl, old->src, &old->names.tables.v[0], m->decl->default_db);
    const Managed *t = manifest_object_get(&pl->declared, "table", name);
    *from = name;
    if (!t || t == trigger || !t->prev || !t->prev->hash)
        return false;
    QueryNames none = {0};
    return strcmp(t->prev->hash, t->hash) == 0 || plan_alters_spare(pl, t, &old->names, &none, false);
}

/* Views, dictionaries and functions the new query reads: none of them
 * may change in this release. They are made again before the MV's own
 * steps, which the new query would precede (before its tables' ALTERs)
 * and the old one outlive (after them). */
static bool other_reads_unchanged(const Plan *pl, const Managed *m)
{
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (r && r->obj && r->obj->kind != OBJ_TABLE && (!r->prev || strcmp(r->prev->hash, r->hash) != 0))
            return false;
    }
    return true;
}

static bool eligible(const Plan *pl, const Managed *m)
{
    const Decl *d = m->decl;
    return d->kind == DECL_MV && m->obj && m->prev && m->prev->hash && strcmp(m->prev->hash, m->hash) != 0 &&
           m->older && strstr(m->older, m->prev->hash) && !pl->cluster && !d->refresh.present && !d->backfill.len &&
           plan_mv_list_exact(m) && version_has_feature(&pl->project->options, F_MODIFY_QUERY) && m->target &&
           m->prev->target && (strcmp(m->prev->target, m->target) == 0 || m->swap_bridge);
}

static bool altered_before(const Plan *pl, const Managed *m, int from, int at);
static int previous_modify_at(const Plan *pl, const Managed *m, const char *list);

/* Whether, while the MV is in its previous state, its tables can only be
 * in their previous states (or further along this plan's ALTERs): the
 * previous plan set that state with a MODIFY QUERY after every ALTER of
 * those tables, or with the CREATE that follows them, and the state is
 * not an older one that the previous plan kept through its ALTERs. Known
 * for the first case only; otherwise the new query must fit every state
 * of its tables that the previous plan knew. */
static bool tables_settled(const Plan *pl, const Managed *m)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "modify-query") == 0 && s->sets && strcmp(s->sets, m->prev->hash) == 0)
            return !plan_tables_altered_after(pl, m, e->steps.v[i]);
    }
    return false;
}

/* Whether the new query prints as the previous plan's text of the old
 * one: then the old query over the trigger's new types is the new one. */
static bool same_query(const Managed *m, const Query *old)
{
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    print_select(&p, m->decl->query);
    bool same = b.s && strcmp(b.s, old->src) == 0;
    strbuf_free(&b);
    return same;
}

/* Whether, while the MV is in its previous state, the columns of table
 * t (its trigger, or a table it joins) that the query reads can only
 * have their previous types: the only change the query meets is the one
 * this release makes. */
static bool states_known(const Plan *pl, const Managed *t, const QueryNames *reads, bool every_state)
{
    const PrevState *was = t && t->prev ? manifest_state(&pl->prev, t->qname, t->prev->hash) : NULL;
    if (!was)
        return false;
    if (!every_state)
        return true;
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        for (int k = 0; strcmp(s->kind, "table") == 0 && k < s->columns.n; k++) {
            const PrevColumn *c = &s->columns.v[k], *then = prev_column(&was->columns, c->name);
            if (query_names_mention(reads, c->name) && (!then || strcmp(then->type, c->type) != 0))
                return false;
        }
    }
    return true;
}

static InPlace proved(Plan *pl, const Managed *m, bool *retyped, bool *converted, bool *target_first,
                      bool *read_first, const Managed **retyped_in, const char **moved_from, bool *unread,
                      bool *unread_drop)
{
    if (!eligible(pl, m))
        return IN_PLACE_NO;
    const PrevState *was = manifest_state(&pl->prev, m->qname, m->prev->hash);
    Query old = {0};
    Select *q = NULL;
    if (!was || !other_reads_unchanged(pl, m) || !previous_query(pl, m, m->prev->hash, &old, &q))
        return IN_PLACE_NO;
    bool moved = !same_tables(pl, m, &old, q);
    if (moved && !trigger_moved(pl, m, &old, q, moved_from))
        return IN_PLACE_NO;
    QueryNames now = {0};
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    Needs n = {.before_ok = true, .every_state = !tables_settled(pl, m)};
    const Managed *target = plan_managed_of(pl, m->obj->target);
    if (!target)
        return IN_PLACE_NO;
    /* What the old query writes is judged from its state's @column lines
     * (old outputs, below), which for a state made with its own list are
     * the list: known to be the outputs only where the target does not
     * change, and then they are not asked. */
    if (old.listed && (!target->prev || !target->prev->hash || strcmp(target->prev->hash, target->hash) != 0))
        return IN_PLACE_NO;
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (r && r->obj && r->obj->kind == OBJ_TABLE && r != target)
            table_needs(pl, r, true, &old.names, &now, NULL, NULL, &n);
    }
    bool reads_target = false;
    for (int i = 0; i < m->obj->reads.n; i++)
        reads_target |= m->obj->reads.v[i] == m->obj->target;
    table_needs(pl, target, false, reads_target ? &old.names : NULL, reads_target ? &now : NULL, &was->columns,
                &m->shape, &n);
    bool casts_after = true, casts_before = true;
    *retyped = n.retyped || n.source_retyped;
    *unread = n.old_retyped;
    *unread_drop = n.old_dropped;
    if (n.retyped)
        in_place_output_casts(pl, target, &was->columns, &m->shape, n.every_state, &casts_after, &casts_before,
                              converted);
    /* A column only the old query read retyped: the MODIFY QUERY first,
     * and only where the target's types stay (its outputs into the old
     * types and an ALTER converting them back would be a second change
     * to prove: a Float64 written into a String column and parsed back
     * by the ALTER, say). */
    if (n.refused || (n.old_retyped && n.retyped))
        return IN_PLACE_NO;
    /* A new trigger, and outputs the target adds: the target's ADDs, then
     * MODIFY QUERY, which moves the MV (the same as with the same outputs,
     * modify_query in plan.c). Outputs the target drops: the DROP COLUMNs
     * after the MODIFY QUERY, as below (the old query, reading only its
     * old trigger, unchanged, writes them until then). Outputs the target
     * retypes: its ALTERs first too where the old query's outputs reach
     * the new types unchanged (casts_after: widened), the old query then
     * writing them until the MODIFY QUERY; else the MODIFY QUERY first
     * where the new query's reach the old ones unchanged (casts_before:
     * narrowed), the ALTERs then converting what it wrote. No RENAME. */
    if (moved && (n.renamed || n.source_retyped || n.old_retyped || old.listed ||
                  (n.retyped && (n.before || !(casts_after || (casts_before && n.before_ok))))))
        return IN_PLACE_NO;
    if (moved && !n.before)
        return n.retyped && !casts_after ? IN_PLACE_BEFORE : IN_PLACE_AFTER;
    /* The new query needs what the release adds, the old one what it
     * drops (or the new one does not fit every state the tables were in
     * before): between the two, every ADD done and no DROP COLUMN yet
     * (alter.c holds those back), where both queries find their columns
     * with their types. Not across a type changed under either, nor a
     * RENAME, which comes before the ADDs. */
    if ((n.after && n.before) || (n.before && !n.before_ok))
        return n.renamed || *retyped || n.old_retyped ? IN_PLACE_NO : IN_PLACE_BETWEEN;
    /* A type changed under what the query reads of one table (its
     * trigger, or a table it joins, read as it stands when an insert
     * runs): the same query over either type. The target's ALTERs first,
     * the old query's outputs then reach its new types (casts_after);
     * that table's first, the new outputs reach its old ones
     * (casts_before). Where only the first keeps every value (a column
     * passed through and widened in both tables), the target's ALTERs
     * are ordered before that table's; where only the second does
     * (narrowed in both), that table's before the target's
     * (table_order.c), and the MODIFY QUERY after both, which then only
     * gives the MV its new column list. Two or more such columns: each
     * output and the rest of the query must read at most one
     * (in_place_apart.c). */
    *retyped_in = n.retyped_in;
    if (n.source_retyped &&
        (!same_query(m, &old) || !states_known(pl, n.retyped_in, &old.names, n.every_state) ||
         (n.source_retyped > 1 && !in_place_reads_apart(pl, m, n.retyped_in)) || !(casts_after || casts_before)))
        return IN_PLACE_NO;
    *target_first = n.source_retyped && !casts_before;
    *read_first = n.source_retyped && !casts_after;
    if (*read_first)
        return n.before || n.after ? IN_PLACE_NO : IN_PLACE_AFTER;
    if (n.before)
        return n.before_ok && casts_before ? IN_PLACE_BEFORE : IN_PLACE_NO;
    if (n.after || casts_after)
        return casts_after ? IN_PLACE_AFTER : IN_PLACE_NO;
    /* Only a target's type changed, narrowed under the old outputs: the
     * new query first, its outputs into the still wide columns. */
    return n.before_ok && casts_before ? IN_PLACE_BEFORE : IN_PLACE_NO;
}

/* Whether every table the MV reads or writes has the previous plan's hash. */
bool plan_tables_unchanged(const Plan *pl, const Managed *m)
{
    const Object *o = m->obj;
    for (int k = 0; k <= o->reads.n; k++) {
        const Managed *t = plan_managed_of(pl, k < o->reads.n ? o->reads.v[k] : o->target);
        if (t && t->obj && t->obj->kind == OBJ_TABLE && (!t->prev || !t->prev->hash || strcmp(t->prev->hash, t->hash) != 0))
            return false;
    }
    return true;
}

/* Whether one of the MV's tables has an ALTER after step `at` of the
 * previous plan (after: true) or between `from` and it. */
static bool altered_around(const Plan *pl, const Managed *m, int from, int at, bool after)
{
    const Object *o = m->obj;
    for (int k = 0; k <= o->reads.n; k++) {
        const Managed *t = plan_managed_of(pl, k < o->reads.n ? o->reads.v[k] : o->target);
        const ManifestEntry *e = t ? manifest_entry(&pl->prev, t->qname) : NULL;
        for (int i = 0; e && i < e->steps.n; i++)
            if ((after ? e->steps.v[i] > at : e->steps.v[i] > from && e->steps.v[i] < at) &&
                strcmp(pl->prev.steps.v[e->steps.v[i]].action, "alter") == 0)
                return true;
    }
    return false;
}

bool plan_tables_altered_after(const Plan *pl, const Managed *m, int at)
{
    return altered_around(pl, m, -1, at, true);
}

/* A MODIFY QUERY with ALTERs of its tables on both sides was planned
 * IN_PLACE_BETWEEN; one before them all, IN_PLACE_BEFORE: all but those
 * before the MODIFY QUERY into the state it takes, where the previous
 * plan carried one (the older releases' ALTERs came with it). */
static bool altered_before(const Plan *pl, const Managed *m, int from, int at)
{
    return altered_around(pl, m, from, at, false);
}

/* The previous plan's step that made the MV's state `list` begins with,
 * by MODIFY QUERY, or -1. */
static int previous_modify_at(const Plan *pl, const Managed *m, const char *list)
{
    size_t n = strcspn(list, ",");
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "modify-query") == 0 && s->sets && strlen(s->sets) == n && strncmp(s->sets, list, n) == 0)
            return e->steps.v[i];
    }
    return -1;
}

/* The previous plan already takes this MV to this very state with MODIFY
 * QUERY, and neither it nor its tables changed since (a plan rebuilt
 * from itself, as `mvdc build --check` does, or a release that leaves
 * them alone): that MODIFY QUERY stands, on the states it ran on, before
 * or after the ALTERs as it was. */
static InPlace carried(Plan *pl, Managed *m, const char **when)
{
    if (!m->obj || !m->prev || !m->prev->hash || strcmp(m->prev->hash, m->hash) != 0 || !m->older ||
        !plan_tables_unchanged(pl, m))
        return IN_PLACE_NO;
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "modify-query") != 0 || !s->sets || strcmp(s->sets, m->hash) != 0 ||
            strncmp(s->guard, "when=", 5) != 0)
            continue;
        const char *list = s->guard + 5;
        for (const char *h = list; *h; h += strcspn(h, ","), h += *h == ',')
            if (!strstr(m->older, arena_strndup(&pl->project->arena, h, strcspn(h, ","))))
                return IN_PLACE_NO; /* a state retention let go of: planned afresh */
        *when = list;
        int at = e->steps.v[i];
        if (!plan_tables_altered_after(pl, m, at))
            return IN_PLACE_AFTER;
        if (!altered_before(pl, m, previous_modify_at(pl, m, list), at))
            return IN_PLACE_BEFORE;
        m->in_place_at = at + 1; /* between: alter.c holds what followed it */
        return IN_PLACE_BETWEEN;
    }
    return IN_PLACE_NO;
}

/* The previous state first, then the earlier ones with the new columns. */
static const char *states_taken(Plan *pl, const Managed *m)
{
    StrBuf b = {0};
    strbuf_puts(&b, m->prev->hash);
    for (const char *h = m->older_same ? m->older_same : ""; *h; h += strcspn(h, ","), h += *h == ',') {
        size_t n = strcspn(h, ",");
        if (n != strlen(m->prev->hash) || strncmp(h, m->prev->hash, n) != 0)
            strbuf_printf(&b, ",%.*s", (int)n, h);
    }
    const char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

/* Whether the previous plan set up table `first` before table `then`
 * (its first step comes first: the order of the tables' setup, their
 * ALTERs included, of every release it carries), both with ALTERs;
 * `narrowed`: one of then's ALTERs loses values (`destructive`). A
 * carried MODIFY QUERY keeps the order it was planned with (it may need
 * it: in_place_types.c cannot tell, the MV's states being the same): the
 * target first where the previous plan had it so, the table read first
 * where it had it so before a narrowing of the target (the only change
 * that asks for it). Not the tables' last and first ALTERs: where the
 * plan carries an older release's, they interleave release by release. */
static bool previous_first(const Plan *pl, const Managed *first, const Managed *then, bool narrowed)
{
    int begins[2] = {-1, -1};
    bool altered[2] = {false, false}, loses = false;
    for (int k = 0; first && then && first != then && k < 2; k++) {
        const ManifestEntry *e = manifest_entry(&pl->prev, k ? then->qname : first->qname);
        for (int i = 0; i < e->steps.n; i++) {
            const PrevStep *st = &pl->prev.steps.v[e->steps.v[i]];
            if (begins[k] < 0 || e->steps.v[i] < begins[k])
                begins[k] = e->steps.v[i];
            if (strcmp(st->action, "alter") != 0)
                continue;
            altered[k] = true;
            loses |= k && st->destructive;
        }
    }
    return altered[0] && altered[1] && begins[0] < begins[1] && (loses || !narrowed);
}

/* The previous plan's one MODIFY QUERY of the MV into `state` (its
 * index), or -1: none, several, or not guarded by the states it takes. */
static int modify_into(const Plan *pl, const Managed *m, const char *state, size_t len)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    int at = -1;
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "modify-query") != 0 || !s->sets || strlen(s->sets) != len ||
            strncmp(s->sets, state, len) != 0)
            continue;
        if (at >= 0 || !s->sql || strncmp(s->guard, "when=", 5) != 0)
            return -1;
        at = e->steps.v[i];
    }
    return at;
}

/* An MV in an older state than the previous one (a server two or more
 * releases behind) is taken to the previous state by the previous plan's
 * own MODIFY QUERY into it, carried over at its place among its tables'
 * carried ALTERs (alter.c queues them), before this release's; and so,
 * from the state that one starts from, by the one before it, as far as
 * the previous plan carried them. The MV then walks each release as the
 * release's plan planned it (a bridge's two MODIFY QUERYs and the RENAME
 * between them included). Only where every state they take is still
 * known (retention) and none is the new one (it would take a converged
 * MV back), and the MV's tables read nothing (a table made from another
 * could be set up between two of them while one waits). */
static void carry_previous_modify(Plan *pl, Managed *m)
{
    const Object *o = m->obj;
    for (int k = 0; k <= o->reads.n; k++) {
        const Object *t = k < o->reads.n ? o->reads.v[k] : o->target;
        if (t && t->managed && t->kind == OBJ_TABLE && t->reads.n)
            return;
    }
    LIST_OF(int) chain = {0};
    const char *into = m->in_place_from;
    for (int at; (at = modify_into(pl, m, into, strlen(into))) >= 0;) {
        const char *from = pl->prev.steps.v[at].guard + 5;
        /* A bridge's state is no state the manifest keeps: the one
         * MODIFY QUERY into it is carried too (bridge.c). */
        bool bridged = !strchr(from, ',') && modify_into(pl, m, from, strlen(from)) >= 0;
        if (!m->older || !(bridged || plan_states_within(from, m->older)) || plan_states_within(m->hash, from) ||
            (chain.n && at >= chain.v[chain.n - 1]) || chain.n >= pl->project->options.keep)
            break;
        *LIST_PUSH(&pl->project->arena, &chain) = at;
        into = arena_strndup(&pl->project->arena, from, strcspn(from, ","));
    }
    for (int i = chain.n - 1; i >= 0; i--) /* in the previous plan's order */
        *LIST_PUSH(&pl->project->arena, &m->carried_modifies) = chain.v[i];
}

/* A carried MODIFY QUERY's order of its tables' ALTERs, as the previous
 * plan had it: the target's before one table it reads (its trigger, or
 * one it joins), or that table's before the target's (previous_first). */
static void carried_order(Plan *pl, Managed *m, InPlace how)
{
    const Managed *target = plan_managed_of(pl, m->obj->target);
    for (int i = 0; i < m->obj->reads.n && !m->target_first && !m->read_first; i++) {
        const Managed *r = plan_managed_of(pl, m->obj->reads.v[i]);
        if (!r || !r->obj || r->obj->kind != OBJ_TABLE || r == target)
            continue;
        m->retyped_in = r;
        m->target_first = previous_first(pl, target, r, false);
        m->read_first = how == IN_PLACE_AFTER && previous_first(pl, r, target, true); /* as proved plans it */
    }
}

void plan_in_place(Plan *pl, Managed *m)
{
    const char *when = NULL;
    InPlace how = carried(pl, m, &when);
    if (how != IN_PLACE_NO) {
        carried_order(pl, m, how);
    } else {
        how = proved(pl, m, &m->in_place_retyped, &m->in_place_converted, &m->target_first, &m->read_first,
                     &m->retyped_in, &m->moved_from, &m->in_place_unread, &m->in_place_unread_drop);
        when = how != IN_PLACE_NO ? states_taken(pl, m) : NULL;
    }
    const Managed *target = m->obj ? plan_managed_of(pl, m->obj->target) : NULL, *read = m->retyped_in;
    if (how != IN_PLACE_NO && m->target_first && (!target || !read || !table_order_first(pl, target, read)))
        how = IN_PLACE_NO; /* the order would be a cycle: drop and create */
    if (how != IN_PLACE_NO && m->read_first && (!target || !read || !table_order_first(pl, read, target)))
        how = IN_PLACE_NO;
    m->target_first &= how != IN_PLACE_NO;
    m->read_first &= how != IN_PLACE_NO;
    m->in_place_converted &= how != IN_PLACE_NO;
    m->in_place_unread &= how == IN_PLACE_BEFORE;
    m->moved_from = how != IN_PLACE_NO ? m->moved_from : NULL;
    m->in_place = how;
    if (how == IN_PLACE_NO) {
        plan_rename_bridge(pl, m);
        plan_source_bridge(pl, m);
        if (m->in_place == IN_PLACE_BRIDGE)
            carry_previous_modify(pl, m); /* a server behind walks to its previous state first */
    } else {
        m->in_place_when = when;
        m->in_place_from = arena_strndup(&pl->project->arena, when, strcspn(when, ","));
        if (how != IN_PLACE_BRIDGE)
            carry_previous_modify(pl, m);
    }
}

bool in_place_reads_kept(Plan *pl, const Managed *m, const char **moved_from)
{
    Query old = {0};
    Select *q = NULL;
    /* A previous state with its own list: its @column lines, which the
     * caller takes for the old outputs, may not be (proved, above). */
    return eligible(pl, m) && other_reads_unchanged(pl, m) && previous_query(pl, m, m->prev->hash, &old, &q) &&
           !old.listed && (same_tables(pl, m, &old, q) || (moved_from && trigger_moved(pl, m, &old, q, moved_from)));
}

bool in_place_table_known(Plan *pl, const Managed *m, const Managed *t, const QueryNames *reads, bool *every_state)
{
    *every_state = !tables_settled(pl, m);
    return states_known(pl, t, reads, *every_state);
}
