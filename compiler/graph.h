/* `mvdc graph`: the lineage graph as Graphviz dot or Mermaid (graph.c). */
#ifndef MVD_GRAPH_H
#define MVD_GRAPH_H

#include "project/project.h"
#include "strbuf.h"

/* The graph's text (free it); the project must have been checked. */
char *graph_render(Project *p, bool mermaid);

#endif
