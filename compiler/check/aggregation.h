/* The aggregation checks of a SELECT: not-aggregated and nested-aggregate
 * (aggregation.c says what each catches). */
#ifndef MVD_AGGREGATION_H
#define MVD_AGGREGATION_H

#include "check/scope.h"

/* Checks one SELECT (not its UNION siblings or subqueries) whose names
 * were resolved in sc. */
void check_aggregation(Project *p, SourceFile *file, const Scope *sc, Select *s);

#endif
