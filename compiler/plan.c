/* Which steps the plan holds, guarded how, in which order
 * (docs/plan-format.md, "Steps" and "Order").
 *
 * Every object always has the step that creates it from nothing, so the
 * plan converges an empty database too. What changed since the previous
 * plan adds steps: ALTER chains for tables (alter.c), drop-and-create or
 * MODIFY QUERY for MVs, CREATE OR REPLACE for views, drops for what the
 * sources no longer declare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "print.h"
#include "sql.h"
#include "versions.h"

Step *plan_add_step(Plan *pl, const char *phase, const char *action, const Managed *m,
                    const char *guard, const char *sets, const char *sql)
{
    Arena *a = &pl->project->arena;
    Step *s = LIST_PUSH(a, &pl->steps);
    *s = (Step){.phase = phase, .action = action, .kind = m->kind, .qname = m->qname,
                .guard = arena_printf(a, "%s", guard), .sets = arena_printf(a, "%s", sets),
                .src = m->src, .sql = arena_printf(a, "%s;", sql)};
    return s;
}

static SqlStyle create_style(const Plan *pl)
{
    return (SqlStyle){.if_not_exists = true, .cluster = pl->cluster};
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
        return feature_available(&pl->project->options, F_DROP_VIEW) ? "VIEW" : "TABLE";
    if (strcmp(kind, "function") == 0)
        return "FUNCTION";
    if (strcmp(kind, "database") == 0)
        return "DATABASE";
    return "TABLE";
}

/* ---- The objects of the new sources ------------------------------------------ */

static void collect_objects(Plan *pl)
{
    Project *p = pl->project;
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (d->file->builtin)
            continue;
        bool managed = d->kind == DECL_TABLE || d->kind == DECL_VIEW || d->kind == DECL_MV ||
                       (d->kind == DECL_FUNCTION && d->body) ||
                       (d->kind == DECL_DATABASE && strmap_get(&p->databases, d->name.name.s, d->name.name.len) == d);
        if (managed)
            *LIST_PUSH(&p->arena, &pl->objects) = (Managed){.decl = d, .obj = d->object};
    }
    hash_objects(pl);
    for (int i = 0; i < pl->objects.n; i++) {
        Managed *m = &pl->objects.v[i];
        m->prev = manifest_object(&pl->prev, m->kind, m->qname);
    }
}

static int by_kind_then_name(const void *x, const void *y)
{
    const Managed *a = *(Managed *const *)x, *b = *(Managed *const *)y;
    static const char *const rank = "dftvm"; /* database function table view mv */
    int ra = (int)(strchr(rank, a->kind[0] == 'm' ? 'm' : a->kind[0]) - rank);
    int rb = (int)(strchr(rank, b->kind[0] == 'm' ? 'm' : b->kind[0]) - rank);
    return ra != rb ? ra - rb : strcmp(a->qname, b->qname);
}

/* ---- Teardown: what the sources no longer declare -------------------------- */

static bool still_declared(const Plan *pl, const PrevObject *o)
{
    for (int i = 0; i < pl->objects.n; i++)
        if (strcmp(pl->objects.v[i].kind, o->kind) == 0 && strcmp(pl->objects.v[i].qname, o->qname) == 0)
            return true;
    return false;
}

static int by_qname(const void *x, const void *y)
{
    return strcmp((*(const PrevObject *const *)x)->qname, (*(const PrevObject *const *)y)->qname);
}

static void note_removed(Plan *pl, Arena *a, void *list, const PrevObject *o)
{
    LIST_OF(const PrevObject *) *gone = list;
    for (int i = 0; i < gone->n; i++)
        if (strcmp(gone->v[i]->qname, o->qname) == 0)
            return;
    *LIST_PUSH(a, gone) = o;
    (void)pl;
}

/* Removed MVs, then views, then functions: dependents before what they
 * read. Within a kind, by name. A removed object stays in the manifest
 * (@removed) for good: a database several releases behind may still
 * have it. */
static void teardown_removed(Plan *pl)
{
    static const char *const kinds[] = {"materialized-view", "view", "function"};
    Arena *a = &pl->project->scratch;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        LIST_OF(const PrevObject *) gone = {0};
        for (int i = 0; i < pl->prev.objects.n; i++) {
            const PrevObject *o = &pl->prev.objects.v[i];
            if (strcmp(o->kind, kinds[k]) == 0 && !still_declared(pl, o))
                note_removed(pl, a, &gone, o);
        }
        for (int i = 0; i < pl->prev.removed.n; i++) {
            const PrevObject *o = &pl->prev.removed.v[i];
            if (strcmp(o->kind, kinds[k]) == 0 && !still_declared(pl, o))
                note_removed(pl, a, &gone, o);
        }
        if (gone.n)
            qsort(gone.v, (size_t)gone.n, sizeof gone.v[0], by_qname);
        for (int i = 0; i < gone.n; i++) {
            Managed m = {.kind = gone.v[i]->kind, .qname = gone.v[i]->qname, .src = "-"};
            plan_add_step(pl, "teardown", "drop", &m, "unless=absent", "absent",
                          drop_statement(pl, sql_kind_word(pl, m.kind), m.qname));
            *LIST_PUSH(&pl->project->arena, &pl->removed) = (PrevObject){m.kind, m.qname, NULL, NULL};
        }
    }
}

/* `drop table x;`: teardown, after everything that could still use it. */
static void teardown_dropped_tables(Plan *pl)
{
    Project *p = pl->project;
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (d->kind != DECL_DROP_TABLE)
            continue;
        StrBuf b = {0};
        Printer pr = {.out = &b, .src = d->file->text, .mode = PRINT_SQL, .db = d->default_db};
        print_qname(&pr, &d->name);
        Managed m = {.kind = "table", .qname = arena_strndup(&p->arena, b.s, b.len)};
        strbuf_free(&b);
        int line, col;
        source_position(&p->arena, d->file, d->span.off, &line, &col);
        m.src = arena_printf(&p->arena, "%s:%d", d->file->path, line);
        Step *s = plan_add_step(pl, "teardown", "drop", &m, "unless=absent", "absent",
                                drop_statement(pl, "TABLE", m.qname));
        s->destructive = true;
        *LIST_PUSH(&p->arena, &pl->dropped) = (PrevObject){"table", m.qname, NULL, NULL};
    }
}

/* ---- Setup, one object at a time ---------------------------------------------- */

static void setup_database(Plan *pl, Managed *m)
{
    plan_add_step(pl, "setup", "create", m, "unless=present", "present", statement(pl, m->decl, create_style(pl)));
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
    *st = (PrevState){.kind = "table", .qname = m->qname, .hash = m->hash, .def = m->def};
    for (int i = 0; i < m->decl->clauses.n; i++)
        if (m->decl->clauses.v[i].kind == CL_ENGINE)
            st->engine = name_cstr(&pl->project->arena, m->decl->clauses.v[i].engine);
    table_state_columns(pl, m->decl, st);
    plan_add_step(pl, "setup", "create", m, "when=absent", m->hash, statement(pl, m->decl, create_style(pl)));
    const PrevState *from = m->prev ? manifest_state(&pl->prev, m->qname, m->prev->hash) : NULL;
    alter_table(pl, m, from);
}

static bool version_has(const Plan *pl, Feature f)
{
    return feature_available(&pl->project->options, f);
}

/* The current state of a view or MV in the new manifest, with its output
 * columns, and every earlier state the previous plan knew. */
static void record_view_states(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    PrevState *st = LIST_PUSH(a, &pl->states);
    *st = (PrevState){.kind = m->kind, .qname = m->qname, .hash = m->hash,
                      .engine = m->decl->kind == DECL_MV ? "MaterializedView" : "View"};
    for (int i = 0; m->obj && i < m->obj->columns.n; i++) {
        const OutColumn *c = &m->obj->columns.v[i];
        *LIST_PUSH(a, &st->columns) = (PrevColumn){name_cstr(a, c->name), c->type ? c->type->name : "Unknown"};
    }
    for (int i = 0; i < pl->prev.states.n; i++) {
        const PrevState *s = &pl->prev.states.v[i];
        if (strcmp(s->kind, m->kind) == 0 && strcmp(s->qname, m->qname) == 0 && strcmp(s->hash, m->hash) != 0)
            *LIST_PUSH(a, &pl->states) = *s;
    }
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

/* The earlier states of m (hashes joined by commas); with `same`, only
 * those whose output columns equal the current ones. NULL when none. */
static const char *older_states(Plan *pl, const Managed *m, bool same)
{
    const PrevState *now = NULL;
    for (int i = 0; i < pl->states.n && !now; i++)
        if (strcmp(pl->states.v[i].qname, m->qname) == 0 && strcmp(pl->states.v[i].hash, m->hash) == 0)
            now = &pl->states.v[i];
    StrBuf b = {0};
    for (int i = 0; i < pl->states.n; i++) {
        const PrevState *s = &pl->states.v[i];
        if (strcmp(s->qname, m->qname) != 0 || strcmp(s->kind, m->kind) != 0 || s == now)
            continue;
        if (same && !(now && same_columns(s, now)))
            continue;
        strbuf_printf(&b, "%s%s", b.len ? "," : "", s->hash);
    }
    const char *text = b.len ? arena_strndup(&pl->project->arena, b.s, b.len) : NULL;
    strbuf_free(&b);
    return text;
}

static void setup_view(Plan *pl, Managed *m)
{
    Arena *a = &pl->project->arena;
    if (version_has(pl, F_CREATE_OR_REPLACE_VIEW)) {
        SqlStyle s = {.or_replace = true, .cluster = pl->cluster};
        plan_add_step(pl, "setup", "replace", m, arena_printf(a, "unless=%s", m->hash), m->hash,
                      statement(pl, m->decl, s));
        return;
    }
    if (older_states(pl, m, false))
        plan_add_step(pl, "setup", "drop", m, arena_printf(a, "unless=absent,%s", m->hash), "absent",
                      drop_statement(pl, sql_kind_word(pl, m->kind), m->qname));
    plan_add_step(pl, "setup", "create", m, "when=absent", m->hash, statement(pl, m->decl, create_style(pl)));
}

/* The drop half of an MV's rebuild, for every earlier state that MODIFY
 * QUERY cannot take to the new one; emit.c points window= at the create. */
static void drop_mv(Plan *pl, Managed *m)
{
    if (m->dropped_early || !older_states(pl, m, false))
        return;
    Step *s = plan_add_step(pl, "setup", "drop", m, arena_printf(&pl->project->arena, "unless=absent,%s", m->hash),
                            "absent", drop_statement(pl, sql_kind_word(pl, m->kind), m->qname));
    s->recreated_by = m;
    m->dropped_early = true;
}

/* MODIFY QUERY changes the SELECT in place, with no window: possible when
 * the server has it, the MV is not refreshable, and its output columns
 * are the ones it had. */
static void modify_query(Plan *pl, Managed *m)
{
    const char *from = older_states(pl, m, true);
    if (!from || m->decl->refresh.present || !version_has(pl, F_MODIFY_QUERY) || m->dropped_early)
        return;
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    strbuf_printf(&b, "ALTER TABLE %s", m->qname);
    sql_on_cluster(&p, (SqlStyle){.cluster = pl->cluster});
    strbuf_puts(&b, " MODIFY QUERY");
    print_newline(&p);
    print_select(&p, m->decl->query);
    plan_add_step(pl, "setup", "modify-query", m, arena_printf(&pl->project->arena, "when=%s", from), m->hash, b.s);
    strbuf_free(&b);
}

static void setup_mv(Plan *pl, Managed *m)
{
    modify_query(pl, m);
    drop_mv(pl, m);
    plan_add_step(pl, "setup", "create", m, "when=absent", m->hash, statement(pl, m->decl, create_style(pl)));
}

/* Before a table's ALTERs: every MV that reads or writes it and will be
 * rebuilt goes first, so that no MV runs against a half-changed table. */
void plan_drop_dependents(Plan *pl, const Managed *table)
{
    for (int i = 0; i < pl->objects.n; i++) {
        Managed *m = &pl->objects.v[i];
        if (m->decl->kind != DECL_MV || !m->obj)
            continue;
        bool uses = m->obj->target == table->obj;
        for (int k = 0; k < m->obj->reads.n && !uses; k++)
            uses = m->obj->reads.v[k] == table->obj;
        if (uses)
            drop_mv(pl, m);
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
    default: break;
    }
    m->emitted = true;
}

/* ---- Order ------------------------------------------------------------------- */

static Managed *managed_of(Plan *pl, const Object *o)
{
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].obj == o)
            return &pl->objects.v[i];
    return NULL;
}

/* Whether everything m reads and writes that the plan manages is done. */
static bool ready(Plan *pl, const Managed *m)
{
    const Object *o = m->obj;
    if (!o)
        return true;
    for (int i = 0; i < o->reads.n; i++) {
        Managed *dep = managed_of(pl, o->reads.v[i]);
        if (dep && !dep->emitted)
            return false;
    }
    Managed *t = o->target ? managed_of(pl, o->target) : NULL;
    return !t || t->emitted;
}

/* Kahn's algorithm over the sorted list: each round takes the first
 * object whose dependencies are done, so ties fall to kind and name.
 * Cycles were refused by the checker; should one remain, the rest is
 * emitted in name order rather than lost. */
static void setup_in_order(Plan *pl)
{
    Arena *a = &pl->project->scratch;
    int n = pl->objects.n;
    Managed **order = arena_alloc(a, sizeof(Managed *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        order[i] = &pl->objects.v[i];
    qsort(order, (size_t)n, sizeof order[0], by_kind_then_name);
    for (int done = 0; done < n;) {
        int pick = -1;
        for (int i = 0; i < n && pick < 0; i++)
            if (!order[i]->emitted && ready(pl, order[i]))
                pick = i;
        for (int i = 0; i < n && pick < 0; i++)
            if (!order[i]->emitted)
                pick = i;
        setup_one(pl, order[pick]);
        done++;
    }
}

static const char *option_text(Plan *pl, const Decl *d)
{
    if (!d || !d->body || d->body->kind != EX_STRING)
        return NULL;
    Span s = d->body->span;
    return arena_strndup(&pl->project->arena, d->file->text + s.off + 1, s.len >= 2 ? s.len - 2 : 0);
}

void plan_build(Plan *pl, Project *p)
{
    pl->project = p;
    pl->cluster = option_text(pl, p->options.cluster);
    pl->registry = option_text(pl, p->options.registry);
    if (!pl->registry)
        pl->registry = "_mvd";
    const char *v = option_text(pl, p->options.clickhouse);
    snprintf(pl->version, sizeof pl->version, "%s",
             v ? v : arena_printf(&p->arena, "%d.%d", p->options.version_major, p->options.version_minor));
    collect_objects(pl);
    for (int i = 0; i < pl->objects.n; i++)
        if (pl->objects.v[i].decl->kind == DECL_VIEW || pl->objects.v[i].decl->kind == DECL_MV)
            record_view_states(pl, &pl->objects.v[i]);
    teardown_removed(pl);
    teardown_dropped_tables(pl);
    setup_in_order(pl);
}
