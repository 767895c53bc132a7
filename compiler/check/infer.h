/* Type inference of SELECT outputs (see infer.c for what it covers). */
#ifndef MVD_INFER_H
#define MVD_INFER_H

#include "check/scope.h"

/* The type ClickHouse gives e in scope sc, or NULL when not known;
 * src is the text of the file e comes from. */
const Type *infer_type(Project *p, const Scope *sc, const Expr *e, const char *src);

/* Whether e can never be, nor hold, a NULL, though its type may say
 * Nullable: typed again with each column that an enclosing if(c, a, b)'s
 * c proves not NULL (`x IS NOT NULL`, isNotNull(x), ANDed) taken without
 * Nullable inside a, and each source column marked never_null (Kafka's
 * _timestamp: virtual.c) without Nullable everywhere, the result has no
 * Nullable anywhere. */
bool infer_never_null(Project *p, const Scope *sc, const Expr *e, const char *src);

/* The columns cond proves are not NULL where it holds (`x IS NOT NULL`,
 * isNotNull(x), alone or ANDed), added to known[n..]: the new count. */
enum { INFER_MAX_KNOWN = 8 };
int infer_not_null_columns(const Expr *cond, const Expr **known, int n);

struct SigCall;
/* The types of a call's arguments (and of a parametric aggregate's
 * parameters), for the checks of calls: c and what it points to live in
 * p->scratch until the caller releases it. */
void infer_call(Project *p, const Scope *sc, const Expr *call, const char *src, struct SigCall *c);

#endif
