/* SQL statements for the plan, printed canonically (print.h). */
#ifndef MVD_SQL_H
#define MVD_SQL_H

#include <stdbool.h>

#include "print/print.h"

/* Where sql_create put the plan's own words (IF NOT EXISTS, ON CLUSTER):
 * the statement without these spans is the object's canonical CREATE, so
 * one printing gives both the plan's statement and the object's hash. */
typedef struct SqlPlanWords {
    size_t start[2], end[2]; /* [0] IF NOT EXISTS, [1] ON CLUSTER; empty if absent */
} SqlPlanWords;

typedef struct SqlStyle {
    bool if_not_exists;   /* the plan's idempotent form; off for hashing */
    bool or_replace;
    const char *cluster;  /* ON CLUSTER, or NULL */
    SqlPlanWords *words;  /* filled in when not NULL */
} SqlStyle;

/* CREATE for a database, table, view, MV or SQL function (no `;`). */
void sql_create(Printer *p, const Decl *d, SqlStyle s);
void sql_on_cluster(Printer *p, SqlStyle s);

#endif
