/* Whether an unchanged query may meet a table it reads half changed (its
 * trigger, or a table it joins): two or more columns it reads retyped by
 * one release, which the table's ALTER chain changes one MODIFY COLUMN
 * step at a time
 * (docs/mv-changes.md, "A type changed under the MV's outputs").
 *
 * Between two of those steps an insert runs the query over a source
 * where some of the columns have their new type and the others their
 * old one (tried on chDB 26.5: the query is analysed again on each
 * insert, over the source's types of that moment). mvdc types the query
 * over the old source (the previous plan's outputs) and over the new one
 * (this plan's), not over such a mix. So the mix is taken only where no
 * part of the query reads two of the retyped columns: each output, with
 * the aliases it refers to, reads at most one, and so does everything
 * else (WHERE, GROUP BY, joins, WITH...) taken together. Each output is
 * then, in every state of the chain, what one version of the query
 * gives it, typed as that version types it (the old type until its
 * column's step, the new one after), the rows it keeps are those one
 * version keeps, and the casts into the target are those of one column
 * changed alone (in_place_types.c), whatever the order of the steps. A
 * query with `*`, COLUMNS(...), GROUP BY ALL or a UNION is not split:
 * it stays drop and create. */
#include <string.h>

#include "plan/plan.h"
#include "syntax/walk.h"

enum { MAX_RETYPED = 64 };

typedef uint64_t Mask; /* one bit per retyped column */

typedef struct Alias {
    Name name;
    QueryNames reads; /* the names its expression mentions */
    Mask mask;
} Alias;

typedef struct Apart {
    Arena *arena;
    const char **retyped;
    int n_retyped;
    LIST_OF(Alias) aliases;
    QueryNames *into; /* the unit being collected */
    bool split;       /* false: a `*` or COLUMNS(...) was met */
} Apart;

static WalkResult collect(Walker *w, Expr *e)
{
    Apart *a = w->ctx;
    if (e->kind == EX_COLUMN)
        *LIST_PUSH(a->arena, &a->into->names) = e->name;
    else if (e->kind == EX_STAR || e->kind == EX_COLUMNS)
        a->split = false;
    return WALK_CONTINUE;
}

static WalkResult enter(Walker *w, Select *q)
{
    (void)w;
    (void)q;
    return WALK_CONTINUE;
}

/* Every alias the query defines, anywhere, with what its expression
 * mentions (a superset: an alias of a subquery is not in scope outside
 * it, and is counted all the same). */
static WalkResult find_alias(Walker *w, Expr *e)
{
    Apart *a = w->ctx;
    if (e->kind == EX_ALIAS) {
        Alias *al = LIST_PUSH(a->arena, &a->aliases);
        *al = (Alias){.name = e->name};
        QueryNames *was = a->into;
        a->into = &al->reads;
        Walker inner = {.expr = collect, .select = enter, .ctx = a};
        walk_expr(&inner, e);
        a->into = was;
    }
    return collect(w, e);
}

/* The retyped columns a list of names reaches, directly or through the
 * aliases it names. */
static Mask mask_of(const Apart *a, const QueryNames *names)
{
    Mask m = 0;
    for (int i = 0; i < names->names.n; i++) {
        Name n = names->names.v[i];
        for (int k = 0; k < a->n_retyped; k++)
            if (n.len == strlen(a->retyped[k]) && memcmp(n.s, a->retyped[k], n.len) == 0)
                m |= (Mask)1 << k;
        for (int k = 0; k < a->aliases.n; k++)
            if (name_eq(a->aliases.v[k].name, n))
                m |= a->aliases.v[k].mask;
    }
    return m;
}

/* Alias masks to their fixpoint: an alias may name another. */
static void close_aliases(Apart *a)
{
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < a->aliases.n; i++) {
            Mask m = a->aliases.v[i].mask | mask_of(a, &a->aliases.v[i].reads);
            grew |= m != a->aliases.v[i].mask;
            a->aliases.v[i].mask = m;
        }
    }
}

static bool at_most_one(Mask m)
{
    return (m & (m - 1)) == 0;
}

/* The table's columns the query mentions whose type the release
 * changes (table_needs in in_place.c counts the same ones). */
static int retyped_columns(Plan *pl, const Managed *table, const QueryNames *reads, const char **out)
{
    const PrevState *before = table->prev ? manifest_state(&pl->prev, table->qname, table->prev->hash) : NULL;
    if (!before)
        return -1;
    PrevState now = {0};
    hash_table_columns(pl, table->decl, &now);
    int n = 0;
    for (int i = 0; i < now.columns.n; i++) {
        const PrevColumn *c = &now.columns.v[i], *was = prev_column(&before->columns, c->name);
        Name name = {.s = c->name, .len = (uint32_t)strlen(c->name)};
        if (!was || strcmp(was->type, c->type) == 0 || !query_names_has(reads, name))
            continue;
        if (n == MAX_RETYPED)
            return -1;
        out[n++] = c->name;
    }
    return n;
}

bool in_place_reads_apart(Plan *pl, const Managed *m, const Managed *table)
{
    Select *q = m->decl->query;
    /* GROUP BY ALL and ORDER BY ALL read every output at once. */
    if (!table || !q || q->next || (q->group.flags & GF_ALL) || q->order_all)
        return false;
    Arena *arena = &pl->project->arena;
    QueryNames all = {0};
    query_names_collect(arena, q, m->decl->file->text, &all);
    const char *retyped[MAX_RETYPED];
    Apart a = {.arena = arena, .retyped = retyped, .split = !all.star};
    a.n_retyped = retyped_columns(pl, table, &all, retyped);
    if (a.n_retyped < 0)
        return false;
    QueryNames scratch = {0};
    a.into = &scratch;
    Walker w = {.expr = find_alias, .select = enter, .ctx = &a};
    walk_select(&w, q);
    close_aliases(&a);
    /* Each output alone. */
    for (int i = 0; a.split && i < q->items.n; i++) {
        QueryNames item = {0};
        a.into = &item;
        Walker iw = {.expr = collect, .select = enter, .ctx = &a};
        walk_expr(&iw, q->items.v[i]);
        if (!at_most_one(mask_of(&a, &item)))
            return false;
    }
    /* Everything but the outputs, together. */
    Select rest = *q;
    rest.items = (ExprList){0};
    QueryNames others = {0};
    a.into = &others;
    Walker ow = {.expr = collect, .select = enter, .ctx = &a};
    walk_select(&ow, &rest);
    return a.split && at_most_one(mask_of(&a, &others));
}
