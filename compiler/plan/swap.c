/* An MV whose target changes, swapped in with no window
 * (docs/mv-changes.md, "Swapped in: a new target").
 *
 * MODIFY QUERY keeps the MV's `TO` (it changes the query only, chDB 26.5):
 * it can never take an MV to another target. And where the outputs change
 * too it is not proven either (in_place.c). What is exact instead: when
 * the old and the new MV cannot deliver one source row into one target
 * (their targets differ), both may exist at once.
 * So the new MV is made under a name of its own (the shadow), the old one
 * dropped, and the shadow renamed to the MV's name: rows inserted into the
 * old trigger reach the old target until the drop, the new MV sees every
 * insert from its CREATE on, and the rename changes nothing of what it
 * does (tried on chDB 26.5: an MV renamed keeps delivering). Only where
 * the targets differ: with one target, a row fed to both triggers would be
 * counted twice in it while both MVs exist (swap_decide). The old MV runs
 * until the drop and the new one from before it, so a table either reads
 * may change only where neither query meets the ALTER (plan_alters_spare);
 * the swap then goes after the table's other ALTERs and before its DROP
 * COLUMNs, as an MV changed in place between them. 18.16 cannot rename
 * an MV (code 48, tried): there the gap stays, declared.
 *
 * The steps, all on the MV (its header names it; mvrun's judge reads the
 * shadow beside it, runtime/swap.c):
 *   shadow  when=P   sets=SH  CREATE MATERIALIZED VIEW IF NOT EXISTS <shadow> ...
 *   drop    when=SH  sets=SA  DROP VIEW IF EXISTS <mv>
 *   swap    when=SA  sets=H   RENAME TABLE <shadow> TO <mv>
 * P is the previous plan's state, H the new one; SH ("P, and the shadow
 * in H") and SA ("absent, and the shadow in H") are states of the MV that
 * only these steps make, hashes derived from H. The usual drop (with its
 * window, for the older states) and create (from absent) stay around them. */
#include <string.h>

#include "plan_syntax.h"
#include "sha256.h"
#include "plan/plan.h"
#include "print/print.h"
#include "print/sql.h"
#include "project/versions.h"
#include "syntax/parse.h"

static const Managed *declared(const Plan *pl, const char *kind, const char *qname)
{
    return pl->declared.n ? manifest_object_get(&pl->declared, kind, qname) : NULL;
}

/* The previous plan's step that set the MV's state `hash`, of action `action`. */
static const PrevStep *step_setting(const Plan *pl, const Managed *m, const char *hash, const char *action)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (s->sql && s->sets && strcmp(s->sets, hash) == 0 && strcmp(s->action, action) == 0 &&
            strcmp(s->kind, "materialized-view") == 0)
            return s;
    }
    return NULL;
}

/* Whether the MV wrote into m->target in state `hash` (the previous
 * plan's): its CREATE says `TO` it; a MODIFY QUERY kept the target of the
 * state it ran on. Unknown is no. */
static bool wrote_target(const Plan *pl, const Managed *m, const char *hash, int depth)
{
    if (m->prev && m->prev->hash && strcmp(m->prev->hash, hash) == 0)
        return m->prev->target && strcmp(m->prev->target, m->target) == 0;
    const PrevStep *c = step_setting(pl, m, hash, "create");
    if (c) {
        const char *head = "CREATE MATERIALIZED VIEW IF NOT EXISTS ";
        size_t hn = strlen(head), qn = strlen(m->qname), tn = strlen(m->target);
        const char *at = c->sql + hn + qn;
        if (strncmp(c->sql, head, hn) != 0 || strncmp(c->sql + hn, m->qname, qn) != 0)
            return false;
        if (strncmp(at, " ON CLUSTER ", 12) == 0)
            at += 12 + strcspn(at + 12, " \n");
        return strncmp(at, " TO ", 4) == 0 && strncmp(at + 4, m->target, tn) == 0 && at[4 + tn] &&
               strchr(" \n(", at[4 + tn]);
    }
    const PrevStep *q = step_setting(pl, m, hash, "modify-query");
    if (q && depth < 8 && strncmp(q->guard, "when=", 5) == 0) {
        const char *from = q->guard + 5;
        char first[SHA256_HEX_LEN + 1] = {0};
        if (strcspn(from, ",") == SHA256_HEX_LEN) {
            memcpy(first, from, SHA256_HEX_LEN);
            return wrote_target(pl, m, first, depth + 1);
        }
    }
    return false;
}

const char *swap_same_target(Plan *pl, const Managed *m, const char *list)
{
    if (!list || !m->target)
        return list;
    StrBuf b = {0};
    for (const char *h = list; *h; h += strcspn(h, ","), h += *h == ',') {
        size_t n = strcspn(h, ",");
        const char *hash = arena_strndup(&pl->project->arena, h, n);
        /* A state of this plan's own (a cutoff's), not an earlier one: its target is the MV's. */
        bool earlier = m->older && strstr(m->older, hash);
        if (!earlier || wrote_target(pl, m, hash, 0))
            strbuf_printf(&b, "%s%s", b.len ? "," : "", hash);
    }
    const char *kept = b.len ? arena_strndup(&pl->project->arena, b.s, b.len) : NULL;
    strbuf_free(&b);
    return kept;
}

/* The MV's previous query, read back from the CREATE that set it: the
 * names it mentions (its tables too, its trigger first); false when not
 * known. */
typedef struct OldQuery {
    QueryNames names;
    const char *src;
} OldQuery;

static bool previous_query(Plan *pl, const Managed *m, OldQuery *out)
{
    Project *p = pl->project;
    const PrevStep *s = step_setting(pl, m, m->prev->hash, "create");
    const char *at = s ? strstr(s->sql, " AS\n") : NULL;
    if (!at || (at > s->sql && at[-1] == ')'))
        return false;
    at += 4;
    size_t n = strlen(at);
    while (n && (at[n - 1] == ';' || at[n - 1] == '\n'))
        n--;
    SourceFile *f = source_from_string(&p->arena, "(previous plan)", arena_strndup(&p->arena, at, n), n);
    Diags quiet;
    diag_init(&quiet, &p->scratch);
    Select *q = parse_select_source(&p->arena, &quiet, f);
    if (!q || quiet.errors || q->next || !q->from.n || q->from.v[0]->kind != FROM_TABLE)
        return false;
    query_names_collect(&p->arena, q, f->text, &out->names);
    out->src = f->text;
    return true;
}

/* The old MV's target while both MVs exist: declared, with the previous
 * plan's hash, or altered nowhere the old MV writes (its previous state's
 * columns: a column added, a TTL, a setting), so that the old MV, which
 * runs until the swap, meets none of its ALTERs, whenever they come; or
 * dropped, which the plan does last (plan.c). */
static bool old_target_spared(Plan *pl, const Managed *m)
{
    const Managed *t = declared(pl, "table", m->prev->target);
    if (!t)
        return plan_drops_table(pl, m->prev->target);
    if (!t->prev || !t->prev->hash)
        return false;
    if (strcmp(t->prev->hash, t->hash) == 0)
        return true;
    const PrevState *was = manifest_state(&pl->prev, m->qname, m->prev->hash);
    QueryNames wrote = {0}, none = {0};
    if (!was)
        return false;
    query_names_of_columns(&pl->project->arena, &was->columns, &wrote);
    return plan_alters_spare(pl, t, &wrote, &none, false);
}

/* The shadow's declaration: the MV's, named PLAN_SHADOW_PREFIX + its name. */
Decl swap_shadow_decl(Plan *pl, const Managed *m)
{
    Decl d = *m->decl;
    const char *name = arena_printf(&pl->project->arena, PLAN_SHADOW_PREFIX "%.*s", (int)m->decl->name.name.len,
                                    m->decl->name.name.s);
    d.name.name = (Name){.s = name, .len = (uint32_t)strlen(name)};
    return d;
}

static const char *shadow_qname(Plan *pl, const Managed *m)
{
    Decl d = swap_shadow_decl(pl, m);
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    print_qname(&p, &d.name);
    const char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

static bool eligible(const Plan *pl, const Managed *m)
{
    const Decl *d = m->decl;
    return d->kind == DECL_MV && m->obj && m->prev && m->prev->hash && strcmp(m->prev->hash, m->hash) != 0 &&
           m->older && strstr(m->older, m->prev->hash) && !pl->cluster && !d->refresh.present && !d->backfill.len &&
           version_has_feature(&pl->project->options, F_RENAME_MV) && m->target && m->prev->target &&
           m->in_place == IN_PLACE_NO && !d->query->next && d->name.name.len < 200;
}

/* Whether this release renames a column of t from or to a name that
 * `a` or `b` mentions: a rename of its own (the old name there before,
 * the new one not), which runs before its ADDs. */
static bool renames_mentioned(const Managed *t, const PrevState *before, const QueryNames *a, const QueryNames *b)
{
    for (int i = 0; i < t->decl->clauses.n; i++) {
        const Clause *c = &t->decl->clauses.v[i];
        if (c->kind != CL_RENAME_COLUMN || !c->renamed || !prev_column_named(&before->columns, c->column) ||
            prev_column_named(&before->columns, *c->renamed))
            continue; /* an earlier release's */
        if (query_names_has(a, c->column) || query_names_has(a, *c->renamed) || query_names_has(b, c->column) ||
            query_names_has(b, *c->renamed))
            return true;
    }
    return false;
}

bool plan_alters_spare(Plan *pl, const Managed *t, const QueryNames *old_reads, const QueryNames *new_reads,
                       bool drops_held)
{
    const PrevState *before = manifest_state(&pl->prev, t->qname, t->prev->hash);
    if (!before || old_reads->star || new_reads->star || renames_mentioned(t, before, old_reads, new_reads))
        return false;
    PrevState now = {0};
    hash_table_columns(pl, t->decl, &now);
    for (int i = 0; i < before->columns.n; i++) {
        const PrevColumn *c = &before->columns.v[i], *is = prev_column(&now.columns, c->name);
        Name n = {.s = c->name, .len = (uint32_t)strlen(c->name)}, from;
        if (!query_names_has(old_reads, n) && !query_names_has(new_reads, n))
            continue;
        if (is ? strcmp(is->type, c->type) != 0 || strcmp(c->type, "Unknown") == 0 ||
                     ast_decl_replaces_column(t->decl, n, &from)
               : !drops_held || query_names_has(new_reads, n))
            return false;
    }
    return true;
}

/* Whether the new MV reads table t (its trigger, or one it joins). */
static bool new_reads_table(const Plan *pl, const Managed *m, const Managed *t)
{
    for (int i = 0; i < m->obj->reads.n; i++)
        if (plan_managed_of(pl, m->obj->reads.v[i]) == t)
            return true;
    return false;
}

/* Whatever the old query names is a table, view or dictionary that this
 * plan leaves as it is; or a table the new query reads too, altered so
 * that neither query meets the change (plan_alters_spare: then *altered). */
static bool old_reads_spared(Plan *pl, const Managed *m, const OldQuery *old, bool *altered)
{
    static const char *const kinds[] = {"table", "view", "dictionary"};
    QueryNames now = {0};
    query_names_collect(&pl->project->arena, m->decl->query, m->decl->file->text, &now);
    for (int i = 0; i < old->names.tables.n; i++) {
        const char *name = plan_qname_text(pl, old->src, &old->names.tables.v[i], m->decl->default_db);
        const Managed *r = NULL;
        for (int k = 0; k < 3 && !r; k++)
            r = declared(pl, kinds[k], name);
        if (!r || !r->prev || !r->prev->hash)
            return false;
        if (strcmp(r->prev->hash, r->hash[0] ? r->hash : "present") == 0)
            continue;
        if (r->decl->kind != DECL_TABLE || !new_reads_table(pl, m, r) || !plan_alters_spare(pl, r, &old->names, &now, true))
            return false;
        *altered = true;
    }
    return true;
}

/* The hashes of the states "from, shadow made" and "absent, shadow made",
 * the shadow in state `to` (the MV's new one, or its bridge's). */
static void swap_states(Plan *pl, Managed *m, const char *from, const char *to)
{
    Arena *a = &pl->project->arena;
    char h[SHA256_HEX_LEN + 1];
    const char *seed = arena_printf(a, "shadow %s", to);
    sha256_hex(seed, strlen(seed), h);
    m->swap = true;
    m->swap_from = from;
    m->swap_shadowed = arena_strndup(a, h, SHA256_HEX_LEN);
    seed = arena_printf(a, "shadow absent %s", to);
    sha256_hex(seed, strlen(seed), h);
    m->swap_absent = arena_strndup(a, h, SHA256_HEX_LEN);
}

/* The previous plan already swaps this MV into this very state, and no
 * table changed since (a plan rebuilt from itself, as `mvdc build
 * --check` does, or a release that changes no table): that swap stands,
 * from the state it swapped from, while the plan keeps that state. */
static bool carried(Plan *pl, Managed *m)
{
    const Decl *d = m->decl;
    if (d->kind != DECL_MV || !m->prev || !m->prev->hash || strcmp(m->prev->hash, m->hash) != 0 || !m->older ||
        pl->cluster || d->refresh.present || d->backfill.len || m->in_place != IN_PLACE_NO ||
        !version_has_feature(&pl->project->options, F_RENAME_MV))
        return false;
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *t = &pl->objects.v[i];
        if (t->decl->kind == DECL_TABLE && t->prev && (!t->prev->hash || strcmp(t->prev->hash, t->hash) != 0))
            return false;
    }
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "shadow") != 0 || strncmp(s->guard, "when=", 5) != 0 ||
            strlen(s->guard + 5) != SHA256_HEX_LEN || !strstr(m->older, s->guard + 5))
            continue;
        const char *from = arena_strndup(&pl->project->arena, s->guard + 5, SHA256_HEX_LEN);
        swap_states(pl, m, from, m->hash);
        m->swap = strcmp(s->sets, m->swap_shadowed) == 0; /* the shadow of this very state */
        if (!m->swap && source_bridge_swap_carried(pl, m, from, e->steps.v[i])) {
            swap_states(pl, m, from, m->bridge);
            return m->swap = strcmp(s->sets, m->swap_shadowed) == 0;
        }
        m->swap_between = m->swap && plan_tables_altered_after(pl, m, e->steps.v[i]);
        m->in_place_at = m->swap_between ? e->steps.v[i] + 1 : 0; /* its tables' carried steps after it wait */
        return m->swap;
    }
    return false;
}

void swap_decide(Plan *pl, Managed *m)
{
    if (carried(pl, m) || !eligible(pl, m))
        return;
    OldQuery old = {0};
    const Managed *trigger = plan_managed_of(pl, m->obj->trigger);
    if (!trigger || !previous_query(pl, m, &old))
        return;
    /* Same target: while both exist, a row that reaches both triggers
     * would be counted twice in it. With the same trigger that is every
     * row; with another one, every row of a stream that feeds both (an MV
     * from the old trigger into the new, or an application writing both),
     * which mvdc cannot rule out. So only a new target is swapped in; the
     * rest is MODIFY QUERY, in place, or the gap, as before. */
    if (strcmp(m->prev->target, m->target) == 0)
        return;
    /* The old MV runs until the swap: its target does not change, but
     * for ALTERs it does not meet, and neither does what it reads, but
     * for ALTERs that neither query meets; or the shadow is made before
     * those ALTERs with the bridge query, which reads what changes as it
     * will be (source_bridge.c), and the old MV dropped before them. */
    const char *shadow = shadow_qname(pl, m);
    for (int i = 0; i < pl->objects.n; i++)
        if (strcmp(pl->objects.v[i].qname, shadow) == 0)
            return; /* a declared object has the shadow's name */
    bool altered = false;
    if (!old_target_spared(pl, m) || (!old_reads_spared(pl, m, &old, &altered) && !source_bridge_swap(pl, m)))
        return;
    swap_states(pl, m, m->prev->hash, m->swap_bridge ? m->bridge : m->hash);
    m->swap_between = altered && !m->swap_bridge;
}

void swap_steps_with(Plan *pl, Managed *m, const char *create, size_t select_at)
{
    Arena *a = &pl->project->arena;
    Step *s = plan_add_step(pl, "setup", "shadow", m, arena_printf(a, "when=%s", m->swap_from), m->swap_shadowed,
                            create);
    s->select_at = select_at ? select_at : plan_select_offset(m, s->sql);
    plan_add_step(pl, "setup", "drop", m, arena_printf(a, "when=%s", m->swap_shadowed), m->swap_absent, plan_drop_sql(pl, m));
    plan_add_step(pl, "setup", "swap", m, arena_printf(a, "when=%s", m->swap_absent),
                  m->swap_bridge ? m->bridge : m->hash,
                  arena_printf(a, "RENAME TABLE %s TO %s", shadow_qname(pl, m), m->qname));
}

void swap_steps(Plan *pl, Managed *m)
{
    Decl d = swap_shadow_decl(pl, m);
    StrBuf b = {0};
    Printer p = {.out = &b, .src = d.file->text, .mode = PRINT_SQL};
    sql_create(&p, &d, (SqlStyle){.if_not_exists = true});
    const char *create = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    swap_steps_with(pl, m, create, 0);
    m->modified = true; /* the tables' DROP COLUMNs may follow (swap_between) */
}

