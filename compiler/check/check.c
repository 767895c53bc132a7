/* The check driver: the passes in order, each a file of this folder.
 * Later passes rely on what earlier ones left in the Project: resolution
 * needs the objects declared, engines and targets need column types,
 * cycles need every object's reads. */
#include "check/check.h"

#include "check/passes.h"

void check_project(Project *p)
{
    project_read_options(p);
    check_doc_comments(p);
    check_table_copies(p);
    check_declarations(p);
}

void check_declarations(Project *p)
{
    declare_objects(p);  /* declare.c: one Object per declaration, lineage names */
    project_check_registry(p); /* project.c: the registry is mvrun's alone */
    resolve_objects(p);  /* resolve.c: every SELECT's names, calls and types */
    check_engines(p);    /* engine.c: each table's engine rules */
    check_cycles(p);     /* cycle.c: dependency cycles */
    check_targets(p);    /* target.c: what each MV writes against its target */
    check_triggers(p);   /* trigger.c: what fires each MV; 18.16's cascades */
    check_backfill(p);   /* backfill.c: a backfill MV's source keeps its rows */
}
