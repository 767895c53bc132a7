/* Cycles in the data flow: rows go from what a view reads into the view,
 * and from the table that fires an MV through the MV into its target. A
 * cycle of views cannot be created in any order; a cycle through MVs is an
 * endless insert loop. Each is reported once, listed in flow order from
 * its smallest name, so the message does not depend on file order. */
#include <stdlib.h>
#include <string.h>

#include "check/passes.h"

typedef struct Graph {
    Object **nodes;
    int n;
    ObjectList *deps; /* deps[i]: what node i needs rows from */
} Graph;

/* Set by build(): the node's index, -1 for an object not in the graph. */
static int node_of(const Object *o)
{
    return o->graph_node - 1;
}

static int by_qname(const void *a, const void *b)
{
    return strcmp((*(Object *const *)a)->qname, (*(Object *const *)b)->qname);
}

static void add_dep(Project *p, Graph *g, Object *from, Object *needs)
{
    if (!from || !needs)
        return;
    int i = node_of(from);
    if (i >= 0 && needs && node_of(needs) >= 0)
        *LIST_PUSH(&p->arena, &g->deps[i]) = needs;
}

static void build(Project *p, Graph *g)
{
    g->n = p->object_list.n;
    g->nodes = arena_alloc(&p->arena, sizeof(Object *) * (size_t)(g->n + 1));
    if (g->n) {
        memcpy(g->nodes, p->object_list.v, sizeof(Object *) * (size_t)g->n);
        qsort(g->nodes, (size_t)g->n, sizeof(Object *), by_qname);
    }
    for (int i = 0; i < g->n; i++)
        g->nodes[i]->graph_node = i + 1;
    g->deps = arena_zalloc(&p->arena, sizeof(ObjectList) * (size_t)(g->n + 1));
    for (int i = 0; i < g->n; i++) {
        Object *o = g->nodes[i];
        if (o->kind == OBJ_VIEW)
            for (int j = 0; j < o->pulls.n; j++)
                add_dep(p, g, o, o->pulls.v[j]);
        /* A refreshable MV runs on a timer, not on inserts: no loop. */
        if (o->kind == OBJ_MV && !o->decl->refresh.present) {
            add_dep(p, g, o, o->trigger);
            add_dep(p, g, o->target, o);
        }
    }
}

/* path[from..to] is a cycle of dependencies; print it in flow order. */
static void report(Project *p, Graph *g, int *path, int from, int to)
{
    int len = to - from + 1, start = 0;
    for (int i = 1; i < len; i++)
        if (strcmp(g->nodes[path[to - i]]->qname, g->nodes[path[to - start]]->qname) < 0)
            start = i;
    /* Flow runs against the dependency edges: from path[to] down to path[from]. */
    char *msg = "";
    for (int k = 0; k <= len; k++) {
        Object *o = g->nodes[path[to - (start + k) % len]];
        msg = arena_printf(&p->arena, "%s%s%s", msg, k ? " -> " : "", o->qname);
    }
    Object *first = g->nodes[path[to - start]];
    bool through_mv = false;
    for (int i = from; i <= to; i++)
        through_mv |= g->nodes[path[i]]->kind == OBJ_MV;
    Diag *d = diag_error(&p->diags, "cycle", first->decl->file, first->decl->name.span, "dependency cycle: %s",
                         msg);
    diag_note(&p->diags, d, NULL, (Span){0}, "%s: break one link",
              through_mv ? "every insert would run around this loop of materialized views forever"
                         : "views that read each other cannot be created in any order");
}

enum { WHITE, GREY, BLACK };

void check_cycles(Project *p)
{
    Graph g;
    build(p, &g);
    char *color = arena_zalloc(&p->arena, (size_t)g.n + 1);
    int *path = arena_alloc(&p->arena, sizeof(int) * (size_t)(g.n + 1));
    int *next = arena_alloc(&p->arena, sizeof(int) * (size_t)(g.n + 1));
    for (int root = 0; root < g.n; root++) {
        if (color[root] != WHITE)
            continue;
        int depth = 0;
        path[0] = root;
        next[0] = 0;
        color[root] = GREY;
        while (depth >= 0) {
            int u = path[depth];
            if (next[depth] == g.deps[u].n) {
                color[u] = BLACK;
                depth--;
                continue;
            }
            int v = node_of(g.deps[u].v[next[depth]++]);
            if (color[v] == GREY) {
                int from = depth;
                while (path[from] != v)
                    from--;
                report(p, &g, path, from, depth);
            } else if (color[v] == WHITE) {
                color[v] = GREY;
                path[++depth] = v;
                next[depth] = 0;
            }
        }
    }
}
