/* The column names a query mentions and the tables it names: what a
 * view's or MV's hash covers (hash.c) and what an MV changed in place
 * needs of its tables (in_place.c). A name is a slice, not resolved: a
 * column counts as used when its name is among them (or under `*`), so
 * the set is a superset of what the query reads. */
#include <string.h>

#include "plan/plan.h"
#include "syntax/walk.h"

typedef struct Collect {
    Arena *arena;
    QueryNames *set;
    const char *src;
} Collect;

/* dictGet('db.d', 'attr', k) and its family name the attribute in a
 * literal: it counts as a use of the dictionary's column `attr`, so that
 * the MV's hash changes with the attribute's type. */
static void collect_attribute(Collect *c, const Expr *e)
{
    if (e->name.len <= 4 || strncmp(e->name.s, "dict", 4) != 0 || e->u.call.args.n < 2)
        return;
    const Expr *a = e->u.call.args.v[1];
    if (a->kind == EX_STRING && a->span.len >= 2 && c->src[a->span.off] == '\'')
        *LIST_PUSH(c->arena, &c->set->names) = (Name){.s = c->src + a->span.off + 1, .len = a->span.len - 2};
}

static WalkResult collect_name(Walker *w, Expr *e)
{
    Collect *c = w->ctx;
    if (e->kind == EX_CALL)
        collect_attribute(c, e);
    if (e->kind == EX_COLUMN)
        *LIST_PUSH(c->arena, &c->set->names) = e->name;
    else if (e->kind == EX_STAR)
        c->set->star = true;
    return WALK_CONTINUE;
}

/* USING (a, b) names columns outside any expression; FROM names tables. */
static WalkResult collect_from(Walker *w, Select *q)
{
    Collect *c = w->ctx;
    for (int i = 0; i < q->from.n; i++) {
        const FromItem *f = q->from.v[i];
        for (int k = 0; k < f->using_cols.n; k++)
            *LIST_PUSH(c->arena, &c->set->names) = f->using_cols.v[k];
        if (f->kind == FROM_TABLE)
            *LIST_PUSH(c->arena, &c->set->tables) = f->table;
    }
    return WALK_CONTINUE;
}

void query_names_collect(Arena *a, Select *q, const char *src, QueryNames *out)
{
    Collect c = {a, out, src};
    Walker w = {.expr = collect_name, .select = collect_from, .ctx = &c};
    walk_select(&w, q);
}

bool query_names_has(const QueryNames *set, Name n)
{
    if (set->star)
        return true;
    for (int i = 0; i < set->names.n; i++)
        if (name_eq(set->names.v[i], n))
            return true;
    return false;
}

bool query_names_mention(const QueryNames *set, const char *name)
{
    return query_names_has(set, (Name){.s = name, .len = (uint32_t)strlen(name)});
}

void query_names_of_columns(Arena *a, const PrevColumnList *cols, QueryNames *out)
{
    for (int i = 0; i < cols->n; i++)
        *LIST_PUSH(a, &out->names) = (Name){.s = cols->v[i].name, .len = (uint32_t)strlen(cols->v[i].name)};
}
