/* Type inference of SELECT outputs (see infer.c for what it covers). */
#ifndef MVD_INFER_H
#define MVD_INFER_H

#include "check/scope.h"

/* The type ClickHouse gives e in scope sc, or NULL when not known;
 * src is the text of the file e comes from. */
const Type *infer_type(Project *p, const Scope *sc, const Expr *e, const char *src);

struct SigCall;
/* The types of a call's arguments (and of a parametric aggregate's
 * parameters), for the checks of calls: c and what it points to live in
 * p->scratch until the caller releases it. */
void infer_call(Project *p, const Scope *sc, const Expr *call, const char *src, struct SigCall *c);

#endif
