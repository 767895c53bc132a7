/* Whether an MV output's type can go into its target column's type on the
 * server version of `option clickhouse` (convert.c says what is judged). */
#ifndef MVD_CONVERT_H
#define MVD_CONVERT_H

#include "project/project.h"

typedef enum FitKind { FIT_OK, FIT_WARNING, FIT_ERROR } FitKind;

typedef struct Fit {
    FitKind kind;
    const char *why;  /* what the server does with it, for the message */
    const char *hint; /* what to write instead; NULL when nothing to say */
} Fit;

/* `literal`: the output is a number written in the query, whose value the
 * server casts exactly when it fits. */
Fit convert_fit(Project *p, const Type *from, const Type *to, bool literal);

#endif
