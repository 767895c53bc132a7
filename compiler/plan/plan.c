/* Which steps the plan holds, guarded how, in which order
 * (docs/plan-format.md, "Steps" and "Order").
 *
 * Every object always has the step that creates it from nothing, so the
 * plan converges an empty database too. What changed since the previous
 * plan adds steps: ALTER chains for tables (alter.c), drop-and-create or
 * MODIFY QUERY for MVs, CREATE OR REPLACE for views, drops for what the
 * sources no longer declare. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parallel.h"
#include "sha256.h"
#include "plan/plan.h"
#include "print/print.h"
#include "print/sql.h"
#include "project/versions.h"

static Step *add_step(Plan *pl, const char *phase, const char *action, const Managed *m,
                      const char *guard, const char *sets, const char *statement)
{
    Arena *a = &pl->project->arena;
    Step *s = LIST_PUSH(a, &pl->steps);
    *s = (Step){.phase = phase, .action = action, .kind = m->kind, .qname = m->qname,
                .guard = arena_strndup(a, guard, strlen(guard)), .sets = arena_strndup(a, sets, strlen(sets)),
                .src = m->src, .sql = statement};
    return s;
}

Step *plan_add_step(Plan *pl, const char *phase, const char *action, const Managed *m,
                    const char *guard, const char *sets, const char *sql)
{
    size_t n = strlen(sql);
    char *text = arena_alloc(&pl->project->arena, n + 2);
    memcpy(text, sql, n);
    memcpy(text + n, ";", 2);
    return add_step(pl, phase, action, m, guard, sets, text);
}

/* Where a view's or MV's statement (CREATE, MODIFY QUERY, the fill's
 * INSERT) has its SELECT: it ends the statement, printed as print_select
 * prints it. mvrun checks the SELECT on the server before it drops
 * anything (`select=` in the step header); 0 when the statement does
 * not end with it. */
static size_t select_offset_by(const Managed *m, const char *stmt, Name cutoff_by, const char *cutoff_test,
                               bool grouped)
{
    if (!m->decl || (m->decl->kind != DECL_MV && m->decl->kind != DECL_VIEW) || !m->decl->query)
        return 0;
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db,
                 .cutoff_by = cutoff_by, .cutoff_test = cutoff_test, .cutoff_grouped = grouped};
    print_select(&p, m->decl->query);
    size_t n = strlen(stmt), at = 0;
    if (n > b.len + 1 && stmt[n - 1] == ';' && memcmp(stmt + n - 1 - b.len, b.s, b.len) == 0)
        at = n - 1 - b.len;
    strbuf_free(&b);
    return at;
}

static size_t select_offset_cut(const Managed *m, const char *stmt, const char *cutoff_test)
{
    return select_offset_by(m, stmt, m->decl->backfill_by, cutoff_test, false);
}

static size_t select_offset(const Managed *m, const char *stmt)
{
    return select_offset_cut(m, stmt, NULL);
}

size_t plan_select_offset(const Managed *m, const char *stmt)
{
    return select_offset(m, stmt);
}

Step *plan_add_create(Plan *pl, const Managed *m, const char *guard, const char *sets)
{
    Step *s = add_step(pl, "setup", "create", m, guard, sets, m->create);
    s->sql_sha = m->create_sha;
    s->select_at = select_offset(m, s->sql);
    return s;
}

static char *statement(Plan *pl, const Decl *d, SqlStyle s)
{
    StrBuf b = {0};
    Printer p = {.out = &b, .src = d->file->text, .mode = PRINT_SQL};
    sql_create(&p, d, s);
    char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

/* DROP of a view, MV or table, printed by name (its declaration may be gone). */
static char *drop_statement(Plan *pl, const char *what, const char *qname)
{
    StrBuf b = {0};
    strbuf_printf(&b, "DROP %s IF EXISTS %s", what, qname);
    if (pl->cluster) {
        Printer p = {.out = &b};
        sql_on_cluster(&p, (SqlStyle){.cluster = pl->cluster});
    }
    char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

static const char *sql_kind_word(const Plan *pl, const char *kind)
{
    if (strcmp(kind, "materialized-view") == 0 || strcmp(kind, "view") == 0)  /* DROP VIEW drops both */
        return version_has_feature(&pl->project->options, F_DROP_VIEW) ? "VIEW" : "TABLE";
    if (strcmp(kind, "function") == 0)
        return "FUNCTION";
    if (strcmp(kind, "database") == 0)
        return "DATABASE";
    if (strcmp(kind, "dictionary") == 0)
        return "DICTIONARY";
    return "TABLE";
}

const char *plan_drop_sql(Plan *pl, const Managed *m)
{
    return drop_statement(pl, sql_kind_word(pl, m->kind), m->qname);
}

/* ---- The objects of the new sources ------------------------------------------ */

/* Every declaration that may be managed, before the checks: a database
 * is declared by the header of each of its files, and which of those is
 * the one (the first) is known after them (keep_managed). */
static void collect_candidates(Plan *pl)
{
    Project *p = pl->project;
    int user_decls = 0;
    for (int i = 0; i < p->decls.n; i++)
        user_decls += !p->decls.v[i]->file->builtin;
    LIST_RESERVE(&p->arena, &pl->objects, user_decls);
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (!d->file->builtin && (d->kind == DECL_TABLE || d->kind == DECL_VIEW || d->kind == DECL_MV ||
                                  d->kind == DECL_DICTIONARY ||
                                  (d->kind == DECL_FUNCTION && d->body) || d->kind == DECL_DATABASE))
            *LIST_PUSH(&p->arena, &pl->objects) = (Managed){.decl = d};
    }
}

static void keep_managed(Plan *pl)
{
    Project *p = pl->project;
    int kept = 0;
    for (int i = 0; i < pl->objects.n; i++) {
        Managed *m = &pl->objects.v[i];
        const Decl *d = m->decl;
        if (d->kind == DECL_DATABASE && strmap_get(&p->databases, d->name.name.s, d->name.name.len) != d)
            continue;
        m->obj = d->object;
        pl->objects.v[kept++] = *m;
    }
    pl->objects.n = kept;
}

static void collect_objects(Plan *pl)
{
    Project *p = pl->project;
    hash_wait(pl);
    keep_managed(pl);
    hash_views(pl);
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].obj)
            pl->objects.v[i].obj->managed = i + 1;
    if (!pl->prev.present)
        return; /* nothing was declared before, nothing to compare with */
    strmap_init(&pl->declared, &p->arena);
    strmap_reserve(&pl->declared, (size_t)pl->objects.n);
    for (int i = 0; i < pl->objects.n; i++) {
        Managed *m = &pl->objects.v[i];
        m->prev = manifest_object(&pl->prev, m->kind, m->qname);
        size_t len;
        const char *key = manifest_object_key(&p->arena, m->kind, m->qname, &len);
        strmap_put(&pl->declared, key, len, m);
    }
    respell_keep_hashes(pl);
}

/* database, function, table, dictionary, view, materialized view */
static int kind_rank(const char *kind)
{
    static const char *const rank = "dftDvm";
    char c = strcmp(kind, "dictionary") == 0 ? 'D' : kind[0];
    return (int)(strchr(rank, c) - rank);
}

static int by_kind_then_name(const void *x, const void *y)
{
    const Managed *a = *(Managed *const *)x, *b = *(Managed *const *)y;
    int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
    return ra != rb ? ra - rb : strcmp(a->qname, b->qname);
}

/* ---- Teardown: what the sources no longer declare -------------------------- */

static bool still_declared(const Plan *pl, const PrevObject *o)
{
    return manifest_object_get(&pl->declared, o->kind, o->qname) != NULL;
}

/* A removed object, and where the previous plan created it: what was
 * created later may read what was created earlier, so it is dropped first. */
typedef struct Removed {
    const PrevObject *o;
    int order;  /* newly removed: minus its create step's index; removed
                   before: its drop step's index there, after all new ones */
    int removal; /* the removing release it came in (@removed removal=N) */
    bool now;    /* removed by this release */
} Removed;

static int by_drop_order(const void *x, const void *y)
{
    const Removed *a = x, *b = y;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return strcmp(a->o->qname, b->o->qname);
}

static void note_removed(Plan *pl, StrMap *seen, Arena *a, void *list, const PrevObject *o, int removal, bool now)
{
    LIST_OF(Removed) *gone = list;
    if (strmap_get(seen, o->qname, strlen(o->qname)))
        return;
    strmap_put(seen, o->qname, strlen(o->qname), (void *)o);
    int order = INT_MAX;
    const ManifestEntry *e = manifest_entry(&pl->prev, o->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "create") == 0 || strcmp(s->action, "replace") == 0)
            order = -e->steps.v[i];
        else if (strcmp(s->phase, "teardown") == 0 && order == INT_MAX)
            order = pl->prev.steps.n + e->steps.v[i];
    }
    *LIST_PUSH(a, gone) = (Removed){o, order, removal, now};
}

/* Removed MVs, then views and dictionaries together (a view's dictGet
 * reads a dictionary, a dictionary may load from a view, and 26.5 refuses
 * to drop what a dictionary loads from, 630), then functions: dependents
 * before what they read, by the order the previous plan created them.
 * Within a kind, by name.
 *
 * A removed object stays in the manifest (@removed, with its drop step)
 * for the latest `keep` removing releases (option keep_versions), counted
 * as retention counts versions: in releases that remove something, so a
 * release that removes nothing ages nothing and an unchanged rebuild is
 * the same plan. Each line carries its removing release's number
 * (removal=N, one more than the previous plan's highest); a line without
 * one (from an mvdc that did not number them) counts as 0. A database
 * still holding an object whose line fell out is refused by mvrun (the
 * registry recorded it, the plan does not know it), naming the @removed
 * line of the plan to apply first. */
/* kind is one of the space-separated words of group. */
static bool in_group(const char *group, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *w = group; *w; w += strcspn(w, " "), w += *w == ' ')
        if (strncmp(w, kind, n) == 0 && (w[n] == ' ' || w[n] == 0))
            return true;
    return false;
}

static const char *const removable_kinds[] = {"materialized-view", "view dictionary", "function"};

/* The number this build's removals get: one more than the previous plan's
 * highest when this build removes something, else that highest. */
static int this_removal(const Plan *pl)
{
    int highest = 0;
    for (int i = 0; i < pl->prev.removed.n; i++)
        if (pl->prev.removed.v[i].removal > highest)
            highest = pl->prev.removed.v[i].removal;
    for (size_t k = 0; k < sizeof removable_kinds / sizeof removable_kinds[0]; k++)
        for (int i = 0; i < pl->prev.objects.n; i++) {
            const PrevObject *o = &pl->prev.objects.v[i];
            if (in_group(removable_kinds[k], o->kind) && !still_declared(pl, o))
                return highest + 1;
        }
    return highest;
}

static void teardown_removed(Plan *pl)
{
    const char *const *kinds = removable_kinds;
    Arena *a = &pl->project->scratch;
    StrMap seen;
    strmap_init(&seen, a);
    int now = this_removal(pl);
    for (size_t k = 0; k < sizeof removable_kinds / sizeof removable_kinds[0]; k++) {
        LIST_OF(Removed) gone = {0};
        for (int i = 0; i < pl->prev.objects.n; i++) {
            const PrevObject *o = &pl->prev.objects.v[i];
            if (in_group(kinds[k], o->kind) && !still_declared(pl, o))
                note_removed(pl, &seen, a, &gone, o, now, true);
        }
        for (int i = 0; i < pl->prev.removed.n; i++) {
            const PrevObject *o = &pl->prev.removed.v[i];
            bool kept = o->removal > now - pl->project->options.keep;
            if (in_group(kinds[k], o->kind) && !still_declared(pl, o) && kept)
                note_removed(pl, &seen, a, &gone, o, o->removal, false);
        }
        if (gone.n)
            qsort(gone.v, (size_t)gone.n, sizeof gone.v[0], by_drop_order);
        for (int i = 0; i < gone.n; i++) {
            plan_mv_rename(pl, gone.v[i].o, gone.v[i].now);
            Managed m = {.kind = gone.v[i].o->kind, .qname = gone.v[i].o->qname, .src = "-"};
            Step *s = plan_add_step(pl, "teardown", "drop", &m, "unless=absent", "absent",
                                    drop_statement(pl, sql_kind_word(pl, m.kind), m.qname));
            /* Replaced by a new MV: rows in between reach neither, a gap
             * until its create (mv_rename.c). */
            const Managed *by = plan_mv_replacing(pl, gone.v[i].o);
            s->window = by != NULL;
            s->until = by ? by->qname : NULL;
            *LIST_PUSH(&pl->project->arena, &pl->removed) =
                (PrevObject){.kind = m.kind, .qname = m.qname, .removal = gone.v[i].removal};
        }
    }
}

/* A table the previous plan managed that the sources neither declare nor
 * drop: refused, a table is never dropped by omission. */
static void check_tables_kept(Plan *pl)
{
    for (int i = 0; i < pl->prev.objects.n; i++) {
        const PrevObject *o = &pl->prev.objects.v[i];
        if (strcmp(o->kind, "table") != 0 || still_declared(pl, o))
            continue;
        bool dropped = false;
        for (int k = 0; k < pl->dropped.n && !dropped; k++)
            dropped = strcmp(pl->dropped.v[k].qname, o->qname) == 0;
        if (dropped)
            continue;
        Diag *g = diag_error(&pl->project->diags, "destructive", NULL, (Span){0},
                             "table %s is no longer declared: the plan would lose it with its data", o->qname);
        diag_note(&pl->project->diags, g, NULL, (Span){0},
                  "declare it again, or say `drop table %s;` to drop it", o->qname);
    }
}

static const char *drop_table_qname(Plan *pl, const Decl *d)
{
    StrBuf b = {0};
    Printer pr = {.out = &b, .src = d->file->text, .mode = PRINT_SQL, .db = d->default_db};
    print_qname(&pr, &d->name);
    const char *q = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return q;
}

bool plan_drops_table(Plan *pl, const char *qname)
{
    for (int i = 0; i < pl->project->decls.n; i++) {
        const Decl *d = pl->project->decls.v[i];
        if (d->kind == DECL_DROP_TABLE && strcmp(drop_table_qname(pl, d), qname) == 0)
            return true;
    }
    return false;
}

/* `drop table x;`: recorded here (@dropped), dropped at the end of the
 * setup (drop_dropped_tables). */
static void record_dropped_tables(Plan *pl)
{
    Project *p = pl->project;
    for (int i = 0; i < p->decls.n; i++)
        if (p->decls.v[i]->kind == DECL_DROP_TABLE)
            *LIST_PUSH(&p->arena, &pl->dropped) =
                (PrevObject){.kind = "table", .qname = drop_table_qname(pl, p->decls.v[i])};
}

/* Last, once nothing that read or wrote the table in any earlier state is
 * left on it: an MV moved to another target leaves its old one only in
 * the setup (by its swap or its drop), and until then every insert into
 * its trigger fails with the table gone (code 60, chDB 26.5: the insert
 * is refused whole); a server releases behind may still have such an MV
 * in a state this plan no longer names. No declared object can have a
 * dropped table's name (error duplicate), so nothing in the setup needs
 * it gone. */
static void drop_dropped_tables(Plan *pl)
{
    Project *p = pl->project;
    for (int i = 0; i < p->decls.n; i++) {
        const Decl *d = p->decls.v[i];
        if (d->kind != DECL_DROP_TABLE)
            continue;
        Managed m = {.kind = "table", .qname = drop_table_qname(pl, d), .src = hash_source_path(pl, d->file)};
        Step *s = plan_add_step(pl, "setup", "drop", &m, "unless=absent", "absent",
                                drop_statement(pl, "TABLE", m.qname));
        s->destructive = true;
    }
}

/* ---- Setup, one object at a time ---------------------------------------------- */

static void setup_database(Plan *pl, Managed *m)
{
    plan_add_create(pl, m, "unless=present", "present");
}

static void setup_function(Plan *pl, Managed *m)
{
    SqlStyle s = {.or_replace = true, .cluster = pl->cluster};
    char *guard = arena_printf(&pl->project->arena, "unless=%s", m->hash);
    plan_add_step(pl, "setup", "replace", m, guard, m->hash, statement(pl, m->decl, s));
}

static void setup_table(Plan *pl, Managed *m)
{
    PrevState *st = LIST_PUSH(&pl->project->arena, &pl->states);
    *st = (PrevState){.kind = "table", .qname = m->qname, .hash = m->hash};
    for (int i = 0; i < m->decl->clauses.n; i++)
        if (m->decl->clauses.v[i].kind == CL_ENGINE)
            st->engine = name_cstr(&pl->project->arena, m->decl->clauses.v[i].engine);
    if (m->shape_from_decl)
        st->table = m->decl;
    else
        hash_table_columns(pl, m->decl, st);
    plan_add_create(pl, m, "when=absent", m->hash);
    alter_table(pl, m);
}

static bool version_has(const Plan *pl, Feature f)
{
    return version_has_feature(&pl->project->options, f);
}

static bool same_columns(const PrevState *a, const PrevState *b)
{
    if (a->columns.n != b->columns.n)
        return false;
    for (int i = 0; i < a->columns.n; i++)
        if (strcmp(a->columns.v[i].name, b->columns.v[i].name) != 0 ||
            strcmp(a->columns.v[i].type, b->columns.v[i].type) != 0 || strcmp(a->columns.v[i].type, "Unknown") == 0)
            return false;
    return true;
}

/* The current state of a view or MV in the new manifest, with its output
 * columns, and every earlier state the previous plan knew; m->older lists
 * the earlier hashes, m->older_same those with the same output columns
 * (which MODIFY QUERY can take to the new one). */
static void record_view_states(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    PrevState *now = LIST_PUSH(a, &pl->states);
    *now = (PrevState){.kind = m->kind, .qname = m->qname, .hash = m->hash,
                       .engine = m->decl->kind == DECL_MV ? "MaterializedView" : "View"};
    now->columns = m->shape;
    StrBuf all = {0}, same = {0};
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    /* The previous plan lists them newest first: the latest `keep`
     * (option keep_versions) stay; an older one is rebuilt (drop and
     * create) instead of taken by MODIFY QUERY. */
    int kept = 0, first = pl->states.n;
    for (int i = 0; i < e->states.n && kept < pl->project->options.keep; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        if (strcmp(s->kind, m->kind) != 0 || strcmp(s->hash, m->hash) == 0)
            continue;
        kept++;
        strbuf_printf(&all, "%s%s", all.len ? "," : "", s->hash);
        PrevState *kept_state = LIST_PUSH(a, &pl->states); /* after this, `now` may have moved */
        *kept_state = *s;
        kept_state->qname = m->qname; /* a renamed MV's: the old name's states (mv_rename.c) */
    }
    for (int i = first; i < pl->states.n; i++)
        if (same_columns(&pl->states.v[i], &pl->states.v[first - 1]))
            strbuf_printf(&same, "%s%s", same.len ? "," : "", pl->states.v[i].hash);
    m->older = all.len ? arena_strndup(a, all.s, all.len) : NULL;
    m->older_same = same.len ? arena_strndup(a, same.s, same.len) : NULL;
    strbuf_free(&all);
    strbuf_free(&same);
}

static void setup_view(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    if (version_has(pl, F_CREATE_OR_REPLACE_VIEW)) {
        SqlStyle s = {.or_replace = true, .cluster = pl->cluster};
        Step *st = plan_add_step(pl, "setup", "replace", m, arena_printf(a, "unless=%s", m->hash), m->hash,
                                 statement(pl, m->decl, s));
        st->select_at = select_offset(m, st->sql);
        return;
    }
    if (m->older)
        plan_add_step(pl, "setup", "drop", m, arena_printf(a, "unless=absent,%s", m->hash), "absent",
                      drop_statement(pl, sql_kind_word(pl, m->kind), m->qname));
    plan_add_create(pl, m, "when=absent", m->hash);
}

/* A dictionary holds no data of its own (it loads from its source), so a
 * changed one is replaced: CREATE OR REPLACE DICTIONARY where the server
 * has it (an MV's dictGet never meets a missing dictionary), else drop
 * and create, guarded like a view's. */
static void setup_dictionary(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    if (version_has(pl, F_CREATE_OR_REPLACE_DICTIONARY)) {
        SqlStyle s = {.or_replace = true, .cluster = pl->cluster};
        plan_add_step(pl, "setup", "replace", m, arena_printf(a, "unless=%s", m->hash), m->hash,
                      statement(pl, m->decl, s));
        return;
    }
    if (m->prev)
        plan_add_step(pl, "setup", "drop", m, arena_printf(a, "unless=absent,%s", m->hash), "absent",
                      drop_statement(pl, "DICTIONARY", m->qname));
    plan_add_create(pl, m, "when=absent", m->hash);
}

/* The drop half of an MV's rebuild, for every earlier state that MODIFY
 * QUERY cannot take to the new one; the drop's `window` flag
 * names the create (the next create of the same object). An MV changed
 * in place (in_place.c) is not dropped from its previous state, which
 * MODIFY QUERY takes to the new one, unless that has run already. */
/* The states an MV changed in place keeps through its tables' ALTERs:
 * the one its MODIFY QUERY takes, its bridge's, and those the carried
 * MODIFY QUERY of the previous plan takes (in_place.c). */
static const char *kept_states(Plan *pl, const Managed *m)
{
    StrBuf b = {0};
    strbuf_printf(&b, "%s%s%s", m->in_place_from, m->bridge ? "," : "", m->bridge ? m->bridge : "");
    for (int i = 0; i < m->carried_modifies.n; i++)
        strbuf_printf(&b, ",%s", pl->prev.steps.v[m->carried_modifies.v[i]].guard + strlen("when="));
    const char *kept = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return kept;
}

bool plan_states_within(const char *states, const char *in)
{
    for (const char *h = states; *h; h += strcspn(h, ","), h += *h == ',') {
        size_t n = strcspn(h, ",");
        bool found = false;
        for (const char *k = in; *k && !found; k += strcspn(k, ","), k += *k == ',')
            found = strcspn(k, ",") == n && strncmp(k, h, n) == 0;
        if (!found)
            return false;
    }
    return true;
}

static void drop_mv(Plan *pl, Managed *m)
{
    if (m->dropped_early || !m->older)
        return;
    bool keep = m->in_place != IN_PLACE_NO && !m->modified;
    const char *kept = keep ? kept_states(pl, m) : NULL;
    if ((keep && plan_states_within(m->older, kept)) || (m->swap && strcmp(m->older, m->swap_from) == 0))
        return; /* no other state to drop: the drop follows the MODIFY QUERY, or the swap's */
    /* A swap's own states are kept; a bridged one's with its bridge's (kept_states). */
    const char *swapped = m->swap ? arena_printf(&pl->project->arena, ",%s,%s", m->swap_shadowed, m->swap_absent) : "";
    const char *guard = keep ? arena_printf(&pl->project->arena, "unless=absent,%s,%s%s", m->hash, kept, swapped)
                        : m->swap ? arena_printf(&pl->project->arena, "unless=absent,%s,%s%s%s%s", m->hash,
                                                 m->swap_from, swapped, m->swap_bridge ? "," : "",
                                                 m->swap_bridge ? m->bridge : "")
                                  : arena_printf(&pl->project->arena, "unless=absent,%s", m->hash);
    plan_add_step(pl, "setup", "drop", m, guard, "absent", drop_statement(pl, sql_kind_word(pl, m->kind), m->qname));
    m->drop_step = pl->steps.n;
    m->dropped_early = true;
}

static void modify_query_from(Plan *pl, Managed *m, const char *from)
{
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    strbuf_printf(&b, "ALTER TABLE %s", m->qname);
    sql_on_cluster(&p, (SqlStyle){.cluster = pl->cluster});
    strbuf_puts(&b, " MODIFY QUERY");
    print_newline(&p);
    print_select(&p, m->decl->query);
    Step *s = plan_add_step(pl, "setup", "modify-query", m, arena_printf(&pl->project->arena, "when=%s", from),
                            m->hash, b.s);
    s->select_at = select_offset(m, s->sql);
    strbuf_free(&b);
    m->modified = true;
}

/* MODIFY QUERY changes the SELECT in place, with no window: possible when
 * the server has it, the MV is not refreshable, its output columns are
 * the ones it had, and it has no column list of its own or one that is
 * its query's outputs (MODIFY QUERY replaces the list with the query's
 * columns, chDB 26.5: mv_list.c). The earlier state's own list, if it
 * had one, does not matter: an ALTER of its tables drops the MV first
 * (dropped_early), so no table changes around this MODIFY QUERY, and the
 * list plays no part in what the MV writes. */
static void modify_query(Plan *pl, Managed *m)
{
    const char *from = swap_same_target(pl, m, m->older_same);
    if (!from || m->decl->refresh.present || !version_has(pl, F_MODIFY_QUERY) || m->dropped_early ||
        !plan_mv_list_exact(m))
        return;
    modify_query_from(pl, m, from);
}

/* An MV that in_place.c proved can be changed in place, new outputs
 * included: MODIFY QUERY from its previous state (and from the earlier
 * ones with its new columns, when nothing dropped them before), once. */
static void modify_in_place(Plan *pl, Managed *m)
{
    if (!m->modified)
        modify_query_from(pl, m, m->in_place_when);
}

Step *plan_copy_step(Plan *pl, const Managed *m, const PrevStep *s)
{
    /* Its SELECT: after MODIFY QUERY, or the AS of a swap's shadow (bridge.c). */
    const char *head = strcmp(s->action, "shadow") == 0 ? " AS\n" : " MODIFY QUERY\n", *at = strstr(s->sql, head);
    Step *st = LIST_PUSH(&pl->project->arena, &pl->steps);
    *st = (Step){.phase = s->phase, .action = s->action, .kind = s->kind, .qname = s->qname, .guard = s->guard,
                 .sets = s->sets, .src = s->src ? s->src : m->src, .sql = s->sql,
                 .select_at = at ? (size_t)(at - s->sql) + strlen(head) : 0};
    return st;
}

void plan_carried_modify(Plan *pl, Managed *m)
{
    plan_copy_step(pl, m, &pl->prev.steps.v[m->carried_modifies.v[m->carried_next++]]);
    bridge_open_due(pl, m);
    if (m->in_place == IN_PLACE_BEFORE && m->carried_next == m->carried_modifies.n)
        modify_in_place(pl, m); /* before its tables' ALTERs of this release, which wait for this */
}

/* `INSERT INTO target (outputs) SELECT ...`: the MV's query over every
 * row the source holds (or, with a time cutoff, those before it). By
 * name, as the MV itself writes. */
static char *fill_into(Plan *pl, const Managed *m, const char *into, Name cutoff_by, const char *cutoff_test,
                       bool grouped)
{
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db,
                 .cutoff_by = cutoff_by, .cutoff_test = cutoff_test, .cutoff_grouped = grouped};
    strbuf_printf(&b, "INSERT INTO %s (", into);
    for (int i = 0; i < m->shape.n; i++) {
        strbuf_puts(&b, i ? ", " : "");
        print_quoted_name(&p, (Name){.s = m->shape.v[i].name, .len = (uint32_t)strlen(m->shape.v[i].name)});
    }
    strbuf_puts(&b, ")");
    print_newline(&p);
    print_select(&p, m->decl->query);
    char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

static char *fill_statement(Plan *pl, const Managed *m)
{
    return fill_into(pl, m, m->target, (Name){0}, NULL, false);
}

static bool engine_is(const Object *o, bool (*test)(Name e))
{
    return o && o->kind == OBJ_TABLE && o->decl && test(ast_decl_engine(o->decl));
}

/* A MergeTree of one server: MOVE PARTITION TO TABLE moves parts between
 * two such tables only (not into or out of a Replicated or Shared one). */
static bool local_merge_tree(Name e)
{
    return ast_engine_merge_tree(e) && !(e.len >= 10 && memcmp(e.s, "Replicated", 10) == 0)
           && !(e.len >= 6 && memcmp(e.s, "Shared", 6) == 0);
}

/* The fill can go chunk by chunk (one source partition at a time, each
 * into a stage and moved into the target: mvrun's fill.c,
 * docs/mv-changes.md) when the server has MOVE PARTITION TO TABLE, there
 * is no cluster, the source is a MergeTree (it has _partition_id), the
 * target a MergeTree of this server, and the query one SELECT over the
 * source alone, so that `_partition_id` in its WHERE can only be the
 * source's. */
static bool fill_by_chunks(const Plan *pl, const Managed *m)
{
    const Object *o = m->obj;
    const Select *q = m->decl->query;
    if (!o || !version_has(pl, F_MOVE_PARTITION_TO_TABLE) || pl->cluster || q->next || q->from.n != 1
        || q->from.v[0]->kind != FROM_TABLE || o->reads.n != 1 || o->reads.v[0] != o->trigger)
        return false;
    return engine_is(o->trigger, ast_engine_merge_tree) && engine_is(o->target, local_merge_tree)
           && o->target->managed;
}

/* The chunked fill (mvrun's fill.c) writes each chunk into the stage
 * <registry>.fill_<id> and reads it with this test: which partitions is
 * read from the registry, where mvrun writes them before each chunk (the
 * partitions of the latest `staging` row of this fill), so the plan's
 * statement is the same for every chunk and mvrun sends it as reviewed.
 *
 *   if((SELECT argMax(chunk, seq) = '*' ...), 1,
 *      _partition_id IN CAST((SELECT argMax(partitions, seq) ...), 'Array(String)'))
 *
 * Both scalar subqueries are run once, before the query, and become
 * constants: the IN then has a constant array on its right, a set of the
 * column's own type (LowCardinality(String) on 26.5), pruned by part and
 * cheap per row; an `IN (SELECT arrayJoin(...))`, the form before, built
 * a set of String from the subquery that converted every row, doubling a
 * chunk's time (docs/mv-changes.md, "Throughput"). A constant condition
 * makes `if` return the branch itself: a chunk `*`, the one chunk of a
 * fill that takes the whole source, reads without any filter. The id
 * stands for the MV's and the target's states: the same fill, resumed,
 * has the same stage; another version of either starts afresh. mv_state:
 * the MV's state while it fills (its hash, or with a time cutoff its
 * filtered state's: another stage than a plain fill's). */
static const char *chunk_test(Plan *pl, const Managed *m, const char *mv_state, const char **stage)
{
    Arena *a = &pl->project->arena;
    const Managed *t = &pl->objects.v[m->obj->target->managed - 1];
    char id[SHA256_HEX_LEN + 1];
    const char *seed = arena_printf(a, "fill %s %s", mv_state, t->hash);
    sha256_hex(seed, strlen(seed), id);
    id[16] = '\0';
    *stage = arena_printf(a, "%s.fill_%s", pl->registry, id);
    const char *staging = arena_printf(a, "FROM %s.fill_chunks WHERE fill = '%s' AND state = 'staging')",
                                       pl->registry, id);
    return arena_printf(a, "if((SELECT argMax(chunk, seq) = '*' %s, 1, "
                           "_partition_id IN CAST((SELECT argMax(partitions, seq) %s, 'Array(String)'))",
                        staging, staging);
}

/* Whenever a `backfill` MV is created (new, again after a drop, or in a
 * database that never had it) its target is emptied and filled from the
 * source first, each step guarded by the MV being absent: a run killed
 * anywhere before the CREATE empties and fills again, so nothing is
 * counted twice, and once the MV exists neither runs. The fill reads the
 * source as it is when the fill starts; rows inserted from then until the
 * CREATE are seen by neither. For a rebuild that is the gap that is left
 * (window= on the fill). The target is the MV's alone (check/backfill.c). */
static void backfill_mv(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    StrBuf b = {0};
    Printer p = {.out = &b};
    strbuf_printf(&b, "TRUNCATE TABLE IF EXISTS %s", m->target);
    sql_on_cluster(&p, (SqlStyle){.cluster = pl->cluster});
    Step *t = plan_add_step(pl, "setup", "truncate", m, "when=absent", "absent", arena_strndup(a, b.s, b.len));
    t->target = m->target;
    strbuf_free(&b);
    bool chunked = fill_by_chunks(pl, m);
    const char *stage = NULL, *test = chunked ? chunk_test(pl, m, m->hash, &stage) : NULL;
    Step *s = plan_add_step(pl, "setup", "backfill", m, "when=absent", "absent",
                            chunked ? fill_into(pl, m, stage, (Name){0}, test, false)
                                    : fill_statement(pl, m));
    s->select_at = chunked ? select_offset_by(m, s->sql, (Name){0}, test, false) : select_offset(m, s->sql);
    s->target = m->target;
    s->chunks = chunked ? m->obj->trigger->qname : NULL;
    m->fill_step = pl->steps.n;
}

/* The cutoff: `(SELECT max(cutoff) FROM <registry>.cutoffs WHERE mv =
 * 'db.mv')`, a time mvrun writes right before the filtered CREATE runs
 * (now() on the server plus a margin), read by the MV on every insert and
 * by the fill. So the plan's statements do not change with the time, and
 * the MV and the fill always use one and the same T. */
static const char *cutoff_test(Plan *pl, const Managed *m, const char *op)
{
    StrBuf b = {0};
    strbuf_printf(&b, "%s (SELECT max(cutoff) FROM %s.cutoffs WHERE mv = '", op, pl->registry);
    for (const char *c = m->qname; *c; c++) /* the plan's spelling of the name: mvrun's key */
        strbuf_printf(&b, "%s%c", *c == '\\' || *c == '\'' ? "\\" : "", *c);
    strbuf_puts(&b, "')");
    const char *text = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    return text;
}

/* `backfill by COL` on a server with MODIFY QUERY: exact while inserts go
 * on (docs/mv-changes.md). Every earlier state, the filtered one of an
 * interrupted run included, is dropped; the target emptied; the MV created
 * with `WHERE COL >= T` (state `cut`); once the server's clock is past T,
 * the fill reads `COL < T`; MODIFY QUERY then takes the MV to its planned
 * query. A kill anywhere before the MODIFY QUERY leaves the MV absent or
 * in state `cut`, and the next run starts again from the drop with a new
 * T: the fill, which may have been half written, is never repeated over
 * rows the MV delivered. Except with a fill by chunks (chunks=), whose
 * records tell what was filled: there mvrun keeps the MV in state `cut`
 * with its T, skips the drop, the truncate and the CREATE, and the fill
 * resumes (mvrun's cutoff_resume.c). */
static void backfill_cutoff(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    char cut[SHA256_HEX_LEN + 1];
    const char *seed = arena_printf(a, "cutoff %s", m->hash);
    sha256_hex(seed, strlen(seed), cut);
    if (!m->dropped_early) {
        plan_add_step(pl, "setup", "drop", m, arena_printf(a, "unless=absent,%s", m->hash), "absent",
                      drop_statement(pl, sql_kind_word(pl, m->kind), m->qname));
        m->dropped_early = true;
    }
    StrBuf b = {0};
    Printer tp = {.out = &b};
    strbuf_printf(&b, "TRUNCATE TABLE IF EXISTS %s", m->target);
    sql_on_cluster(&tp, (SqlStyle){.cluster = pl->cluster});
    Step *t = plan_add_step(pl, "setup", "truncate", m, "when=absent", "absent", arena_strndup(a, b.s, b.len));
    t->target = m->target;
    strbuf_free(&b);
    const char *from = cutoff_test(pl, m, ">="), *before = cutoff_test(pl, m, "<");
    StrBuf c = {0};
    Printer cp = {.out = &c, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db,
                  .cutoff_by = m->decl->backfill_by,
                  .cutoff_test = from};
    sql_create(&cp, m->decl, (SqlStyle){.if_not_exists = true, .cluster = pl->cluster});
    Step *cr = plan_add_step(pl, "setup", "create", m, "when=absent", cut, arena_strndup(a, c.s, c.len));
    strbuf_free(&c);
    cr->select_at = select_offset_cut(m, cr->sql, from);
    cr->cutoff = true;
    /* By chunks where a plain fill would be (fill_by_chunks): the chunk's
     * test follows the cutoff's, `COL < T AND if(...)`. */
    const char *stage = NULL;
    if (fill_by_chunks(pl, m))
        before = arena_printf(a, "%s AND %s", before, chunk_test(pl, m, cut, &stage));
    Step *f = plan_add_step(pl, "setup", "backfill", m, arena_printf(a, "when=%s", cut), cut,
                            fill_into(pl, m, stage ? stage : m->target, m->decl->backfill_by, before, false));
    f->select_at = select_offset_cut(m, f->sql, before);
    f->target = m->target;
    f->cutoff = true;
    f->chunks = stage ? m->obj->trigger->qname : NULL;
    m->fill_step = pl->steps.n;
    const char *saved = m->older_same;
    m->older_same = arena_strndup(a, cut, SHA256_HEX_LEN);
    m->dropped_early = false;
    modify_query(pl, m);
    m->older_same = saved;
    m->dropped_early = true;
}

static void setup_mv(Plan *pl, Managed *m)
{
    bool backfill = m->decl->backfill.len && !m->decl->refresh.present;
    /* The cutoff ends with MODIFY QUERY, which an MV's own column list
     * survives only where it is the query's outputs (mv_list.c; the
     * filtered query has the same outputs): any other is filled as
     * `backfill` fills. So is one on a cluster, whose hosts would each
     * need the cutoff (check/backfill.c warns). */
    if (backfill && m->decl->backfill_by.len && version_has(pl, F_MODIFY_QUERY) && !m->decl->query->next &&
        plan_mv_list_exact(m) && !pl->cluster) {
        backfill_cutoff(pl, m);
        return;
    }
    if (!backfill && m->in_place == IN_PLACE_BRIDGE)
        bridge_close(pl, m);
    else if (!backfill && m->in_place != IN_PLACE_NO)
        modify_in_place(pl, m);
    else if (!backfill && !m->swap)
        modify_query(pl, m);
    if (m->in_place == IN_PLACE_BETWEEN)
        alter_release(pl, m); /* the DROP COLUMNs its old query needed until now */
    drop_mv(pl, m);
    if (m->swap && !m->swap_bridge) /* a bridged one's are out, before its tables' ALTERs (bridge.c) */
        swap_steps(pl, m);
    if (m->swap_between)
        alter_release(pl, m); /* likewise, the old MV's until the swap */
    if (backfill)
        backfill_mv(pl, m);
    plan_add_create(pl, m, "when=absent", m->hash);
    if (m->fill_step && m->drop_step)
        pl->steps.v[m->fill_step - 1].window = pl->steps.n;
    else if (m->drop_step)
        pl->steps.v[m->drop_step - 1].window = pl->steps.n;
}

/* A bridge that comes after some of the table's steps: after its
 * trigger's ADDs (plan_open_bridges), or, carried from the previous plan,
 * after the steps carried with it that came before it there
 * (plan_open_carried_bridges). */
static bool bridge_waits(const Managed *m, const Managed *table)
{
    if (m->bridge_carried_at)
        return table->carried_from && m->bridge_carried_at > table->carried_from;
    return m->bridge_after != NULL;
}

/* Whether MV m's bridge opens before the table's ALTERs: not where it
 * waits for some of them, or for the previous plan's MODIFY QUERYs that
 * take a server behind to its previous state (in_place.c), or follows
 * its target's ALTERs (at its trigger's: source_bridge.c). */
static bool bridge_opens_at(const Managed *m, const Managed *table)
{
    return m->in_place == IN_PLACE_BRIDGE && !bridge_waits(m, table) && m->carried_next == m->carried_modifies.n &&
           !(m->target_first && m->obj && table->obj == m->obj->target);
}

/* Before a table's ALTERs: every MV that reads or writes it and will be
 * rebuilt goes first, so that no MV runs against a half-changed table.
 * One changed in place keeps its previous state, and takes its new query
 * here when the old one cannot outlive the ALTERs (in_place.c). */
void plan_drop_dependents(Plan *pl, const Managed *table)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = &pl->objects.v[table->dependents.v[i]];
        if (m->decl->kind != DECL_MV)
            continue;
        drop_mv(pl, m);
        if (m->in_place == IN_PLACE_BEFORE && m->carried_next == m->carried_modifies.n)
            modify_in_place(pl, m);
        else if (bridge_opens_at(m, table))
            bridge_open(pl, m);
    }
}

void plan_open_bridges_at_chain(Plan *pl, const Managed *table)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = &pl->objects.v[table->dependents.v[i]];
        if (m->decl->kind == DECL_MV && bridge_opens_at(m, table))
            bridge_open(pl, m);
    }
}

static void setup_one(Plan *pl, Managed *m)
{
    switch (m->decl->kind) {
    case DECL_DATABASE: setup_database(pl, m); break;
    case DECL_FUNCTION: setup_function(pl, m); break;
    case DECL_TABLE: setup_table(pl, m); break;
    case DECL_VIEW: setup_view(pl, m); break;
    case DECL_MV: setup_mv(pl, m); break;
    case DECL_DICTIONARY: setup_dictionary(pl, m); break;
    default: break;
    }
    m->emitted = true;
}

/* ---- Order ------------------------------------------------------------------- */

/* The managed objects o reads and writes, each once. */
static void link_dependencies(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    const Object *o = m->obj;
    if (!o)
        return;
    int self = (int)(m - pl->objects.v);
    for (int i = 0; i <= o->reads.n; i++) {
        const Object *dep = i < o->reads.n ? o->reads.v[i] : o->target;
        if (!dep || !dep->managed || dep->managed - 1 == self)
            continue;
        Managed *d = &pl->objects.v[dep->managed - 1];
        if (d->dependents.n && d->dependents.v[d->dependents.n - 1] == self)
            continue;
        *LIST_PUSH(a, &d->dependents) = self;
        m->waiting++;
    }
}

/* A binary min-heap of positions in the sorted order. */
typedef struct Heap {
    int *v;
    int n;
} Heap;

static void heap_push(Heap *h, int x)
{
    int i = h->n++;
    for (; i > 0 && h->v[(i - 1) / 2] > x; i = (i - 1) / 2)
        h->v[i] = h->v[(i - 1) / 2];
    h->v[i] = x;
}

static int heap_pop(Heap *h)
{
    int top = h->v[0], x = h->v[--h->n], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (h->v[c] >= x)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = x;
    return top;
}

/* Kahn's algorithm: always the first object, in (kind, name) order, whose
 * dependencies (what it reads and writes, and table_order.c's edges) are
 * done, so the order is deterministic. Cycles were
 * refused by the checker; should one remain, what is left is emitted in
 * that order rather than lost. */
static void setup_in_order(Plan *pl)
{
    Arena *a = &pl->project->scratch;
    int n = pl->objects.n;
    Managed **order = arena_alloc(a, sizeof(Managed *) * (size_t)(n + 1));
    int *rank = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
    Heap ready = {arena_alloc(a, sizeof(int) * (size_t)(n + 1)), 0};
    for (int i = 0; i < n; i++) {
        order[i] = &pl->objects.v[i];
        link_dependencies(pl, order[i]);
    }
    table_order_link(pl);
    qsort(order, (size_t)n, sizeof order[0], by_kind_then_name);
    for (int i = 0; i < n; i++) {
        rank[order[i] - pl->objects.v] = i;
        if (!order[i]->waiting)
            heap_push(&ready, i);
    }
    for (int done = 0, next = 0; done < n; done++) {
        int pick;
        if (ready.n) {
            pick = heap_pop(&ready);
        } else {
            while (order[next]->emitted)
                next++;
            pick = next;
        }
        Managed *m = order[pick];
        setup_one(pl, m);
        for (int k = 0; k < m->dependents.n; k++) {
            Managed *d = &pl->objects.v[m->dependents.v[k]];
            if (--d->waiting == 0 && !d->emitted)
                heap_push(&ready, rank[m->dependents.v[k]]);
        }
    }
}

static const char *option_text(Plan *pl, const Decl *d)
{
    if (!d || !d->body || d->body->kind != EX_STRING)
        return NULL;
    Span s = d->body->span;
    return arena_strndup(&pl->project->arena, d->file->text + s.off + 1, s.len >= 2 ? s.len - 2 : 0);
}

/* ---- The previous plan, read while the project is checked ------------------ */

typedef struct PreviousRead {
    const char *path;
    Manifest *into;
    Arena arena;    /* the manifest's, joining the project's when read */
    StrBuf err;     /* why it cannot be used */
    bool ok;
    ParallelJob *job;
} PreviousRead;

static void read_previous(void *ctx, int worker, int item)
{
    (void)worker;
    (void)item;
    PreviousRead *r = ctx;
    r->ok = manifest_read(&r->arena, r->path, r->into, &r->err);
}

/* On a thread of its own when there are two cores: it is a file's worth
 * of parsing that needs nothing from the sources. */
static void previous_start(Plan *pl, const char *path)
{
    Project *p = pl->project;
    PreviousRead *r = arena_zalloc(&p->arena, sizeof *r);
    r->path = path;
    r->into = &pl->prev;
    int nworkers = path ? parallel_workers(p->max_threads, 2, 2, 1) : 1;
    r->job = parallel_start(&p->arena, 1, nworkers, read_previous, r);
    pl->reading = r;
}

/* Waits for the previous plan; false when it cannot be used, the reason
 * printed if `report` (a plan given up says nothing of it). */
static bool previous_wait(Plan *pl, bool report)
{
    PreviousRead *r = pl->reading;
    if (!r)
        return true;
    parallel_join(r->job);
    arena_adopt(&pl->project->arena, &r->arena);
    if (report && r->err.len)
        fwrite(r->err.s, 1, r->err.len, stderr);
    strbuf_free(&r->err);
    pl->reading = NULL;
    return r->ok;
}

static void start_work(Plan *pl)
{
    collect_candidates(pl);
    hash_start(pl);
    previous_start(pl, pl->previous);
}

void plan_begin(Plan *pl, Project *p, const char *previous)
{
    pl->project = p;
    pl->cluster = option_text(pl, p->options.cluster);
    pl->registry = option_text(pl, p->options.registry);
    if (!pl->registry)
        pl->registry = "_mvd";
    const char *v = option_text(pl, p->options.clickhouse);
    snprintf(pl->version, sizeof pl->version, "%s",
             v ? v : arena_printf(&p->arena, "%d.%d", p->options.version_major, p->options.version_minor));
    pl->previous = previous;
    if (p->diags.errors)
        return; /* sources that do not parse get no plan: nothing to start */
    start_work(pl);
}

bool plan_build(Plan *pl)
{
    Project *p = pl->project;
    if (!pl->hashing)
        start_work(pl); /* not begun before the checks */
    if (!previous_wait(pl, true))
        return false;
    collect_objects(pl);
    plan_mv_renames(pl);
    /* Usually one step and one state per object; more only for upgrades. */
    LIST_RESERVE(&p->arena, &pl->steps, pl->objects.n + pl->prev.steps.n);
    LIST_RESERVE(&p->arena, &pl->states, pl->objects.n + pl->prev.states.n);
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].decl->kind == DECL_VIEW || pl->objects.v[i].decl->kind == DECL_MV)
            record_view_states(pl, &pl->objects.v[i]);
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].decl->kind == DECL_MV)
            plan_in_place(pl, &pl->objects.v[i]);
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].decl->kind == DECL_MV)
            swap_decide(pl, &pl->objects.v[i]);
    teardown_removed(pl);
    record_dropped_tables(pl);
    check_tables_kept(pl);
    setup_in_order(pl);
    drop_dropped_tables(pl);
    alter_check_released(pl);
    return true;
}

void plan_abandon(Plan *pl)
{
    previous_wait(pl, false);
    hash_release(pl);
}
