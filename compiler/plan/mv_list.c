/* Whether an MV's own column list (`materialized view m (a T, ...)`) is
 * one that MODIFY QUERY leaves as declared (docs/mv-changes.md, "An MV
 * with its own column list").
 *
 * What was tried on chDB 26.5 and decides the rule:
 * - `ALTER TABLE mv MODIFY QUERY` replaces the MV's column list with the
 *   new query's outputs, names and types (system.columns and
 *   create_table_query): a list `total Int64` over `qty AS total` (qty
 *   UInt32) becomes `total UInt32`;
 * - where the list already is those outputs, create_table_query after the
 *   MODIFY QUERY is the one a CREATE with that list and query gives;
 * - an insert runs the MV's query and casts each output into the target's
 *   column of that name: the list plays no part in what reaches the
 *   target.
 * So an MV whose new list is its new query's outputs, name for name, in
 * order, type for type, is after MODIFY QUERY exactly what the plan
 * declares, and can take any path a plain MV takes. Types are compared as
 * mvdc works them out, which agree with the server's (typing/); a type it
 * could not work out, and a list column with more than a name and a type,
 * keep the drop and create. */
#include "plan/plan.h"

/* A list column with only a name and a type the project could resolve. */
static bool plain_column(const Column *c)
{
    return !c->mods && !c->null_mod && c->type && c->type->resolved;
}

bool plan_mv_list_exact(const Managed *m)
{
    const Decl *d = m->decl;
    if (!d->columns.n)
        return true;
    const Object *o = m->obj;
    if (!o || !o->columns_known || o->columns.n != d->columns.n)
        return false;
    for (int i = 0; i < d->columns.n; i++) {
        const Column *c = d->columns.v[i];
        const OutColumn *out = &o->columns.v[i];
        /* Types are interned: one type, one pointer (project/types.h). */
        if (!plain_column(c) || !out->type || !name_eq(c->name, out->name) || c->type->resolved != out->type)
            return false;
    }
    return true;
}
