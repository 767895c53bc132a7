#ifndef MVD_PARAM_TEXT_H
#define MVD_PARAM_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* A numeric parameter of an aggregate function in a type (quantile(.5)),
 * spelled as ClickHouse lists it (0.5); anything it cannot read (a string,
 * inf) as written. */
const char *param_text(Arena *a, const char *lit, size_t len);

#endif
