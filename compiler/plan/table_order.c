/* One table's steps before another's, where no read or write orders
 * them but an MV changed in place needs it (docs/mv-changes.md, "A type
 * changed under the MV's outputs").
 *
 * The setup order is the dependency graph's (plan.c: an object after
 * what it reads and writes), and two tables that do not read each other
 * come in the order of their names. An MV that passes a column of its
 * trigger through to its target, both widened in one release, needs its
 * target's ALTERs first: between the two ALTERs the query's old, narrow
 * output is cast into the target's new, wide column (a widening); in the
 * other order its new, wide output would be cast into the old, narrow
 * column, which wraps or cuts the value silently (tried on chDB 26.5).
 * A column passed through and narrowed in both needs the other order,
 * the trigger's ALTERs first: in between, the new query's narrow output
 * meets the target's still wide column (a widening), where the target
 * narrowed first would refuse a value the source still takes (a Decimal
 * out of range, code 407) and fail the MV's push after the source has
 * the row, and the source's own ALTER then fails on it (tried on chDB
 * 26.5). Such an order is an edge of the same graph, recorded here and
 * linked with the others. An edge that would close a cycle (the target already
 * waits on the trigger: `table sums as orders` copies the trigger's
 * columns and is made after it; or an edge recorded for another MV
 * points the other way) is refused, and the MV is then not changed in
 * place: never a false "in place". */
#include <string.h>

#include "plan/plan.h"

/* Whether object `from` waits on object `to`, directly or through others:
 * by reading or writing it, or by an edge recorded here. A walk with a
 * stack of its own (a project may chain thousands of objects), each
 * object pushed once. */
static bool waits_on(const Plan *pl, int from, int to)
{
    Arena *a = &pl->project->scratch;
    bool *seen = arena_zalloc(a, sizeof(bool) * (size_t)pl->objects.n);
    int *stack = arena_alloc(a, sizeof(int) * (size_t)pl->objects.n), n = 0;
    stack[n++] = from;
    seen[from] = true;
    while (n) {
        int at = stack[--n];
        if (at == to)
            return true;
        const Object *o = pl->objects.v[at].obj;
        for (int i = 0; o && i <= o->reads.n; i++) {
            const Object *dep = i < o->reads.n ? o->reads.v[i] : o->target;
            if (dep && dep->managed && !seen[dep->managed - 1]) {
                seen[dep->managed - 1] = true;
                stack[n++] = dep->managed - 1;
            }
        }
        for (int i = 0; i < pl->order.n; i++)
            if (pl->order.v[i].then == at && !seen[pl->order.v[i].first]) {
                seen[pl->order.v[i].first] = true;
                stack[n++] = pl->order.v[i].first;
            }
    }
    return false;
}

bool table_order_first(Plan *pl, const Managed *first, const Managed *then)
{
    int a = (int)(first - pl->objects.v), b = (int)(then - pl->objects.v);
    for (int i = 0; i < pl->order.n; i++)
        if (pl->order.v[i].first == a && pl->order.v[i].then == b)
            return true; /* another MV asked for it already */
    if (waits_on(pl, a, b))
        return false;
    *LIST_PUSH(&pl->project->arena, &pl->order) = (TableOrder){.first = a, .then = b};
    return true;
}

void table_order_link(Plan *pl)
{
    for (int i = 0; i < pl->order.n; i++) {
        Managed *first = &pl->objects.v[pl->order.v[i].first], *then = &pl->objects.v[pl->order.v[i].then];
        *LIST_PUSH(&pl->project->arena, &first->dependents) = pl->order.v[i].then;
        then->waiting++;
    }
}
