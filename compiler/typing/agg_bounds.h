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
#include "project/project.h"

/* A parameter as written: a number literal, with its sign. */
typedef struct AggParam {
    const char *text;  /* the literal, without the sign; NULL when not a number literal */
    bool negative;
} AggParam;

/* Why ClickHouse (option clickhouse's version, `o`) refuses parameter i
 * of the aggregate `base` (its name without combinators), or NULL: it
 * takes it, or nothing is known. */
const char *aggregate_param_refused(Arena *a, const Options *o, const char *base, int i, AggParam param);
/* Why ClickHouse refuses each of the n parameters of the aggregate `fn`
 * (len bytes, combinators included) as written: why[i] for parameter i,
 * or NULL. Its own parameters by their bounds; -Resample's 3 after them
 * (start, end, step) by the step, refused at 0 (69, chDB 26.5). A call
 * (arity.c) and a state type (typesyntax.c) are judged alike. */
void aggregate_params_refused(Project *p, const char *fn, size_t len, const AggParam *params, int n,
                              const char **why);

#endif
