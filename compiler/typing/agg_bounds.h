/* The bounds ClickHouse puts on an aggregate's parameters when it builds
 * the function: uniqUpTo counts up to 100, a quantile level lies in
 * [0, 1], ... A function out of them is refused wherever it is built: the
 * CREATE of a table with its state, of a view or MV that calls it (chDB
 * 26.5 and 18.16). Used for calls (arity.c) and state types
 * (typesyntax.c). */
#ifndef MVD_AGG_BOUNDS_H
#define MVD_AGG_BOUNDS_H

#include <stdbool.h>

#include "base/arena.h"

/* A parameter as written: a number literal, with its sign. */
typedef struct AggParam {
    const char *text;  /* the literal, without the sign; NULL when not a number literal */
    bool negative;
} AggParam;

/* Why ClickHouse refuses parameter i of the aggregate `base` (its name
 * without combinators), or NULL: it takes it, or nothing is known. */
const char *aggregate_param_refused(Arena *a, const char *base, int i, AggParam param);
/* How many of n parameters are the function's own, given the combinators
 * after its name: each -Resample adds 3 after them (start, end, step). */
int aggregate_own_params(const char *suffixes, int n);
/* Why ClickHouse refuses the step of -Resample (its last parameter), or
 * NULL: a step of 0 (69, chDB 26.5). */
const char *aggregate_resample_step_refused(Arena *a, AggParam step);

#endif
