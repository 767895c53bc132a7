/* The passes check.c runs, and what they share (inside check/ only). */
#ifndef MVD_PASSES_H
#define MVD_PASSES_H

#include "project/project.h"

void declare_objects(Project *p);
void resolve_objects(Project *p);
void check_engines(Project *p);
void check_cycles(Project *p);
void check_targets(Project *p);
void check_triggers(Project *p);
void check_backfill(Project *p);

/* declare.c: a lineage name resolved to its object, reported when unknown. */
Object *declare_lookup_source(Project *p, Decl *d, QName *q, const char *role);
void declare_explain_unknown(Project *p, Diag *g, Name name);
void declare_explain_mv_target(Project *p, Diag *g, Object *mv, const char *verb);
/* resolve.c: the output columns of a view (resolving it first) or a table. */
const OutColumnList *resolve_object_columns(Project *p, Object *o, bool *known);

#endif
