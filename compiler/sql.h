/* SQL statements for the plan, printed canonically (print.h). */
#ifndef MVD_SQL_H
#define MVD_SQL_H

#include <stdbool.h>

#include "print.h"

typedef struct SqlStyle {
    bool if_not_exists;   /* the plan's idempotent form; off for hashing */
    bool or_replace;
    const char *cluster;  /* ON CLUSTER, or NULL */
} SqlStyle;

/* CREATE for a database, table, view, MV or SQL function (no `;`). */
void sql_create(Printer *p, const Decl *d, SqlStyle s);
void sql_on_cluster(Printer *p, SqlStyle s);

#endif
