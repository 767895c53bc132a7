/* `mvdc graph`: the lineage graph of a checked project, for Graphviz (dot)
 * or Mermaid. Nodes are tables, external tables, dictionaries, views and
 * MVs (a dictionary is drawn as a table: it can be read like one); edges
 * are an object's pulls_from (what it reads) and pushes_to (where an MV
 * writes). An MV's edge from the table whose inserts fire it is drawn
 * bold and labelled `fires`; its other sources are lookups, dashed: a
 * JOIN the wrong way round shows at a glance. Sorted by name, so the
 * output is stable in review. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static bool in_graph(const Object *o)
{
    return o && (o->kind == OBJ_TABLE || o->kind == OBJ_EXTERNAL || o->kind == OBJ_VIEW || o->kind == OBJ_MV ||
                 o->kind == OBJ_DICTIONARY) &&
           !o->decl->file->builtin;
}

static int by_qname(const void *x, const void *y)
{
    return strcmp((*(Object *const *)x)->qname, (*(Object *const *)y)->qname);
}

static const char *kind_label(const Object *o)
{
    switch (o->kind) {
    case OBJ_EXTERNAL: return "external table";
    case OBJ_VIEW: return "view";
    case OBJ_MV: return "materialized view";
    case OBJ_DICTIONARY: return "dictionary";
    default: return "table";
    }
}

/* Mermaid ids: the qualified name with every other character as `_`. */
static void mermaid_id(StrBuf *b, const char *qname)
{
    for (const char *s = qname; *s; s++)
        strbuf_putc(b, (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ? *s : '_');
}

static void node(StrBuf *b, const Object *o, bool mermaid)
{
    if (mermaid) {
        static const char *const open[] = {"[", "[(", "([", "[["}, *const close[] = {"]", ")]", "])", "]]"};
        int shape = o->kind == OBJ_EXTERNAL ? 1 : o->kind == OBJ_VIEW ? 2 : o->kind == OBJ_MV ? 3 : 0;
        strbuf_puts(b, "    ");
        mermaid_id(b, o->qname);
        strbuf_printf(b, "%s\"%s<br/><small>%s</small>\"%s\n", open[shape], o->qname, kind_label(o), close[shape]);
    } else {
        static const char *const shapes[] = {"box", "box3d", "ellipse", "hexagon"};
        int shape = o->kind == OBJ_EXTERNAL ? 1 : o->kind == OBJ_VIEW ? 2 : o->kind == OBJ_MV ? 3 : 0;
        strbuf_printf(b, "  \"%s\" [shape=%s, label=\"%s\\n(%s)\"];\n", o->qname, shapes[shape], o->qname,
                      kind_label(o));
    }
}

typedef enum EdgeKind { E_PULLS, E_FIRES, E_LOOKUP, E_PUSHES } EdgeKind;

static void edge(StrBuf *b, const Object *from, const Object *to, EdgeKind k, bool mermaid)
{
    static const char *const label[] = {"pulls_from", "fires", "lookup", "pushes_to"};
    static const char *const arrow[] = {" -->", " ==>", " -.->", " -->"};
    static const char *const style[] = {"", ", style=bold", ", style=dashed", ""};
    if (mermaid) {
        strbuf_puts(b, "    ");
        mermaid_id(b, from->qname);
        strbuf_printf(b, "%s|%s| ", arrow[k], label[k]);
        mermaid_id(b, to->qname);
        strbuf_putc(b, '\n');
    } else {
        strbuf_printf(b, "  \"%s\" -> \"%s\" [label=\"%s\"%s];\n", from->qname, to->qname, label[k], style[k]);
    }
}

/* How o's k-th source feeds it: a view pulls; an MV is fired by its
 * left-most table and looks the others up. */
static EdgeKind source_kind(const Object *o, const Object *src)
{
    if (o->kind != OBJ_MV)
        return E_PULLS;
    return src == o->trigger ? E_FIRES : E_LOOKUP;
}

char *graph_render(Project *p, bool mermaid)
{
    int n = 0;
    Object **objs = malloc(sizeof(Object *) * (size_t)(p->object_list.n + 1));
    for (int i = 0; i < p->object_list.n; i++)
        if (in_graph(p->object_list.v[i]))
            objs[n++] = p->object_list.v[i];
    qsort(objs, (size_t)n, sizeof objs[0], by_qname);
    StrBuf b = {0};
    strbuf_puts(&b, mermaid ? "flowchart LR\n" : "digraph lineage {\n  rankdir=LR;\n");
    for (int i = 0; i < n; i++)
        node(&b, objs[i], mermaid);
    /* Edges point the way data flows: source -> view/MV -> target. */
    for (int i = 0; i < n; i++) {
        const Object *o = objs[i];
        for (int k = 0; k < o->pulls.n; k++)
            if (in_graph(o->pulls.v[k]))
                edge(&b, o->pulls.v[k], o, source_kind(o, o->pulls.v[k]), mermaid);
        if (in_graph(o->target))
            edge(&b, o, o->target, E_PUSHES, mermaid);
    }
    if (!mermaid)
        strbuf_puts(&b, "}\n");
    free(objs);
    return strbuf_take(&b);
}
