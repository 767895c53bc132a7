/* "Did you mean": the closest of some names to a wrong one (suggest.c). */
#ifndef MVD_SUGGEST_H
#define MVD_SUGGEST_H

#include "syntax/ast.h"

/* The index of the closest candidate by edit distance, or -1 when none is
 * close enough to be a likely typo. */
int suggest_index(Name wrong, const Name *candidates, int n);

#endif
