/* Type inference of SELECT outputs (see infer.c for what it covers). */
#ifndef MVD_INFER_H
#define MVD_INFER_H

#include "scope.h"

/* The type ClickHouse gives e in scope sc, or NULL when not known;
 * src is the text of the file e comes from. */
const Type *infer_type(Project *p, const Scope *sc, const Expr *e, const char *src);

#endif
