/* A bridge: an MV taken to its new query by two MODIFY QUERYs around its
 * tables' ALTERs, the first to a bridge query that gives, over the tables
 * as they are before the ALTERs and after them alike, what the new query
 * gives after them (docs/mv-changes.md):
 *   1. MODIFY QUERY to the bridge query, before the first ALTER of the
 *      MV's tables (plan_drop_dependents);
 *   2. the tables' ALTERs, as ever;
 *   3. MODIFY QUERY to the new query, at the MV's own setup.
 * Which bridge query, and where one is exact, is rename_bridge.c's (the
 * target renames a column the MV writes: the bridge writes both names)
 * and source_bridge.c's (a table it reads retypes or renames a column
 * the new query reads: the bridge reads it as its new type under either
 * name, in a join through a subquery of that table). Here: the bridge's
 * state, one carried over from the previous plan, and the two steps. */
#include <string.h>

#include "plan/plan.h"
#include "print/print.h"
#include "print/sql.h"
#include "sha256.h"
#include "syntax/walk.h"

/* The bridge's state: neither the previous nor the new one, and the same
 * in every build of this plan (mvdc build --check). `kind` keeps the
 * two kinds of bridge apart. */
static const char *bridge_state(Plan *pl, const char *kind, const char *from, const char *to)
{
    char *hex = arena_alloc(&pl->project->arena, SHA256_HEX_LEN + 1);
    const char *seed = arena_printf(&pl->project->arena, "%s bridge %s %s", kind, from, to);
    sha256_hex(seed, strlen(seed), hex);
    return hex;
}

int bridge_carried(Plan *pl, const Managed *m, const char *kind)
{
    if (!m->obj || !m->prev || !m->prev->hash || strcmp(m->prev->hash, m->hash) != 0 || !m->older ||
        !plan_tables_unchanged(pl, m))
        return -1;
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "modify-query") != 0 || !s->sets || strncmp(s->guard, "when=", 5) != 0 ||
            strchr(s->guard, ',') || !s->sql || !strstr(s->sql, " MODIFY QUERY\n"))
            continue;
        const char *from = s->guard + 5;
        if (strcmp(s->sets, bridge_state(pl, kind, from, m->hash)) == 0 && strstr(m->older, from))
            return e->steps.v[i];
    }
    return -1;
}

void bridge_set(Plan *pl, Managed *m, const char *kind, const char *from)
{
    m->in_place = IN_PLACE_BRIDGE;
    m->in_place_from = m->in_place_when = from;
    m->bridge = bridge_state(pl, kind, from, m->hash);
}

/* The new query with, for each of the target's renamed columns, one more
 * output: the new name's expression under the old name (rename_bridge.c);
 * for each column the trigger retypes, the bare item that reads it named
 * as before (source_bridge.c reads it). */
static Select *bridge_select(Plan *pl, const Managed *m)
{
    Arena *a = &pl->project->arena;
    const Select *declared = m->decl->query;
    Select *q = arena_alloc(a, sizeof *q);
    *q = *declared;
    q->items = (ExprList){0};
    for (int i = 0; i < declared->items.n; i++) {
        Expr *e = declared->items.v[i];
        bool cast = false;
        for (int c = 0; !m->bridge_subs.n && e->kind == EX_COLUMN && c < m->source_names.n; c++)
            cast |= e->u.path.parts.n == 1 && name_is(e->name, m->source_names.v[c]);
        *LIST_PUSH(a, &q->items) = cast ? ast_alias(a, e, e->name, false) : e;
    }
    for (int r = 0; r < m->bridge_new.n; r++)
        for (int i = 0; i < declared->items.n; i++) {
            Expr *e = declared->items.v[i];
            if ((e->kind == EX_ALIAS || e->kind == EX_COLUMN) && name_is(e->name, m->bridge_new.v[r])) {
                Name old = {.s = m->bridge_old.v[r], .len = (uint32_t)strlen(m->bridge_old.v[r])};
                *LIST_PUSH(a, &q->items) = ast_alias(a, ast_unalias(e), old, false);
            }
        }
    return q;
}

/* The bridge's source columns that the new query also names as an
 * alias (source_bridge.c): a reference to one outside that alias's own
 * expression is the alias, which the bridge leaves as it is. */
typedef struct AliasSeek {
    const char **names;
    bool *aliased;
    int n;
} AliasSeek;

static WalkResult alias_seek(Walker *w, Expr *e)
{
    AliasSeek *s = w->ctx;
    for (int i = 0; e->kind == EX_ALIAS && i < s->n; i++)
        s->aliased[i] |= name_is(e->name, s->names[i]);
    return WALK_CONTINUE;
}

/* What the bridge query reads differently from the new query: the
 * retyped or renamed columns of `table` (source_bridge.c; NULL: of the
 * table it reads, its trigger alone), and, of its trigger alone, source
 * columns named like the target's old names, qualified so that the
 * bridge's outputs of those names do not shadow them (rename_bridge.c).
 * Each is read by `qualifier`, the table's name or alias in the query. */
static void bridge_reads(Plan *pl, const Managed *m, Printer *p, const Managed *table, Name qualifier)
{
    Arena *a = &pl->project->arena;
    int n = table ? 0 : m->bridge_old.n, k = 0;
    for (int i = 0; i < m->source_names.n; i++)
        n += !table || m->source_table.v[i] == table;
    const char **names = arena_alloc(a, sizeof *names * (size_t)(n + 1));
    const char **casts = arena_zalloc(a, sizeof *casts * (size_t)(n + 1));
    const char **from = arena_zalloc(a, sizeof *from * (size_t)(n + 1));
    bool *unnulled = arena_zalloc(a, sizeof *unnulled * (size_t)(n + 1));
    const char **defaults = arena_zalloc(a, sizeof *defaults * (size_t)(n + 1));
    for (int i = 0; i < m->source_names.n; i++) {
        if (table && m->source_table.v[i] != table)
            continue;
        names[k] = m->source_names.v[i];
        casts[k] = m->source_types.v[i];
        from[k] = m->source_from.v[i];
        unnulled[k] = m->source_unnulled.v[i];
        defaults[k++] = m->source_default.v[i];
    }
    AliasSeek seek = {.names = names, .n = k, .aliased = arena_zalloc(a, sizeof(bool) * (size_t)(n + 1))};
    for (int i = 0; !table && i < m->bridge_old.n; i++)
        names[k++] = m->bridge_old.v[i];
    Walker w = {.expr = alias_seek, .ctx = &seek};
    walk_select(&w, m->decl->query);
    p->aliased = seek.aliased;
    p->qualify = names;
    p->nqualify = n;
    p->cast_to = casts;
    p->renamed_from = from;
    p->unnulled = unnulled;
    p->unnull_default = defaults;
    p->qualifier = qualifier;
}

/* The subquery a bridge reads a table of a join through (Managed.
 * bridge_subs): `SELECT j.col AS col, ... FROM db.table AS j [FINAL]`,
 * one item per column of the table the new query may read, each retyped
 * or renamed one as the bridge reads it (bridge_reads: cast, under either
 * name), by `inner`. Its COLUMNS() pattern sees that table alone,
 * whatever names the other has; and the query around it reads what the
 * table will hold after its ALTERs, by the same names and types, so it
 * is the new query as written, in the ON clause and USING too. */
static Select *sub_query(Plan *pl, const Managed *m, const BridgeSub *sub, Printer *inner)
{
    Arena *a = &pl->project->arena;
    const FromItem *j = sub->item;
    Name qualifier = j->alias.len ? j->alias : j->table.name;
    Select *q = ast_select(a, (Select){0});
    for (int i = 0; i < sub->columns.n; i++) {
        Name col = {.s = sub->columns.v[i], .len = (uint32_t)strlen(sub->columns.v[i])};
        NameList parts = {0};
        *LIST_PUSH(a, &parts) = qualifier;
        *LIST_PUSH(a, &parts) = col;
        *LIST_PUSH(a, &q->items) = ast_alias(a, ast_column(a, parts, j->span), col, false);
    }
    FromItem *from = ast_from(a, (FromItem){.kind = FROM_TABLE, .span = j->span, .table = j->table,
                                            .alias = j->alias, .final = j->final});
    *LIST_PUSH(a, &q->from) = from;
    bridge_reads(pl, m, inner, sub->table, qualifier);
    return q;
}

/* The printer of the bridge query p reads each of m's subqueries with. */
static void bridge_subs(Plan *pl, const Managed *m, Printer *p)
{
    Arena *a = &pl->project->arena;
    int n = m->bridge_subs.n;
    const FromItem **items = arena_alloc(a, sizeof *items * (size_t)n);
    const Select **queries = arena_alloc(a, sizeof *queries * (size_t)n);
    Printer *inner = arena_alloc(a, sizeof *inner * (size_t)n);
    for (int i = 0; i < n; i++) {
        inner[i] = *p;
        items[i] = m->bridge_subs.v[i].item;
        queries[i] = sub_query(pl, m, &m->bridge_subs.v[i], &inner[i]);
    }
    p->bridge_from = items;
    p->bridge_query = queries;
    p->bridge_printer = inner;
    p->nbridge_from = n;
}

/* ALTER TABLE mv MODIFY QUERY and the query, the bridge's when `bridge`;
 * select_at where the query starts. A bridge carried from the previous
 * plan repeats its statement there. */
static Step *modify_step(Plan *pl, Managed *m, bool bridge, const char *guard, const char *sets)
{
    if (bridge && m->bridge_copy)
        return plan_copy_step(pl, m, &pl->prev.steps.v[m->bridge_copy - 1]); /* its guard and state are these */
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    if (bridge && m->bridge_subs.n)
        bridge_subs(pl, m, &p);
    else if (bridge && m->bridge_qualifier.len)
        bridge_reads(pl, m, &p, NULL, m->bridge_qualifier);
    strbuf_printf(&b, "ALTER TABLE %s MODIFY QUERY", m->qname);
    print_newline(&p);
    size_t at = b.len;
    print_select(&p, bridge ? bridge_select(pl, m) : m->decl->query);
    Step *s = plan_add_step(pl, "setup", "modify-query", m, guard, sets, b.s);
    s->select_at = at;
    strbuf_free(&b);
    return s;
}

/* An MV swapped into a new target across changes of what it reads
 * (m->swap_bridge): its shadow made with the bridge query, the old MV
 * dropped, the shadow renamed to its name (swap.c), all before those
 * changes; a bridge carried from the previous plan repeats its three
 * statements. */
static void swap_open(Plan *pl, Managed *m)
{
    if (m->bridge_copy) {
        for (int i = 0; i < 3; i++)
            plan_copy_step(pl, m, &pl->prev.steps.v[m->bridge_copy - 1 + i]);
        return;
    }
    StrBuf b = {0};
    Printer p = {.out = &b, .src = m->decl->file->text, .mode = PRINT_SQL, .db = m->decl->default_db};
    if (m->bridge_subs.n)
        bridge_subs(pl, m, &p);
    else if (m->bridge_qualifier.len)
        bridge_reads(pl, m, &p, NULL, m->bridge_qualifier);
    Decl d = swap_shadow_decl(pl, m);
    d.query = bridge_select(pl, m);
    sql_create(&p, &d, (SqlStyle){.if_not_exists = true});
    const char *create = arena_strndup(&pl->project->arena, b.s, b.len);
    strbuf_free(&b);
    swap_steps_with(pl, m, create, (size_t)(strstr(create, " AS\n") - create) + 4);
}

void bridge_open(Plan *pl, Managed *m)
{
    if (m->bridged)
        return;
    if (m->swap_bridge)
        swap_open(pl, m);
    else
        modify_step(pl, m, true, arena_printf(&pl->project->arena, "when=%s", m->in_place_from), m->bridge);
    m->bridged = true;
}

void bridge_close(Plan *pl, Managed *m)
{
    if (m->modified)
        return;
    bridge_open(pl, m);
    modify_step(pl, m, false, arena_printf(&pl->project->arena, "when=%s", m->bridge), m->hash);
    m->modified = true;
}

/* Opens m's bridge; where it still waits for the previous plan's MODIFY
 * QUERYs that take a server behind to its previous state (in_place.c),
 * once they are out (bridge_open_due), so that it starts from that state. */
static void open_or_defer(Plan *pl, Managed *m)
{
    if (m->carried_next < m->carried_modifies.n)
        m->bridge_due = true;
    else
        bridge_open(pl, m);
}

void bridge_open_due(Plan *pl, Managed *m)
{
    if (m->bridge_due && m->carried_next == m->carried_modifies.n) {
        m->bridge_due = false;
        bridge_open(pl, m);
    }
}

/* The table's i-th dependent, where it is an MV taken by a bridge; else
 * NULL. */
static Managed *bridged(Plan *pl, const Managed *table, int i)
{
    Managed *m = &pl->objects.v[table->dependents.v[i]];
    return m->decl->kind == DECL_MV && m->in_place == IN_PLACE_BRIDGE ? m : NULL;
}

void plan_open_bridges(Plan *pl, const Managed *table)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = bridged(pl, table, i);
        if (m && m->bridge_after && m->bridge_after == table->obj)
            open_or_defer(pl, m);
    }
}

int bridge_step_before(const Plan *pl, int at)
{
    int i = at - 1;
    while (i >= 0 && strcmp(pl->prev.steps.v[i].action, "modify-query") == 0)
        i--;
    return i;
}

const Managed *bridge_table_of(const Plan *pl, const Managed *m, int i)
{
    const Object *o = i < m->obj->reads.n ? m->obj->reads.v[i] : m->obj->target;
    const Managed *t = o ? plan_managed_of(pl, o) : NULL;
    return t && t->obj && t->obj->kind == OBJ_TABLE ? t : NULL;
}

bool plan_prev_altered_after(const Plan *pl, const Managed *t, int at)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, t->qname);
    for (int i = 0; e && i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (e->steps.v[i] > at && (strcmp(s->action, "alter") == 0 || strcmp(s->action, "rename") == 0))
            return true;
    }
    return false;
}

bool bridge_carried_lead_first(Plan *pl, const Managed *m, int at)
{
    int before = bridge_step_before(pl, at);
    const Managed *lead = NULL;
    for (int k = 0; before >= 0 && strcmp(pl->prev.steps.v[before].action, "alter") == 0 && k <= m->obj->reads.n; k++) {
        const Managed *t = bridge_table_of(pl, m, k);
        if (t && strcmp(pl->prev.steps.v[before].qname, t->qname) == 0)
            lead = t;
    }
    for (int k = 0; lead && k <= m->obj->reads.n; k++) {
        const Managed *t = bridge_table_of(pl, m, k);
        if (t && t != lead && plan_prev_altered_after(pl, t, at) && !table_order_first(pl, lead, t))
            return false;
    }
    return true;
}

void plan_open_carried_bridges_after(Plan *pl, const Managed *table, int done)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = bridged(pl, table, i);
        if (m && m->bridge_carried_at && bridge_step_before(pl, m->bridge_carried_at - 1) == done)
            open_or_defer(pl, m);
    }
}

void plan_open_bridges_at_drops(Plan *pl, const Managed *table)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = bridged(pl, table, i);
        if (m && m->bridge_at_drops && m->obj && m->obj->target == table->obj)
            open_or_defer(pl, m);
    }
}

void plan_open_carried_bridges(Plan *pl, const Managed *table, int at)
{
    for (int i = 0; i < table->dependents.n; i++) {
        Managed *m = bridged(pl, table, i);
        if (m && m->bridge_carried_at && m->bridge_carried_at - 1 < at)
            open_or_defer(pl, m);
    }
}
