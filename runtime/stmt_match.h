/* stmt_match: a step's statement checked against its header (verb,
 * object kind, name, and `destructive` for whatever loses data), before
 * any request: see stmt_match.c. */
#ifndef MVRUN_STMT_MATCH_H
#define MVRUN_STMT_MATCH_H

#include "plan.h"

#include <stddef.h>

/* 0 when step->sql is what the header says; else -1 and why[] says what
 * differs. */
int stmt_match_step(const PlanStep *step, char *why, size_t why_len);

/* 0 when every MODIFY COLUMN of an alter step that is not marked
 * destructive keeps every value (type_change.h), judged from the column's
 * type in the step's when= states of plan (read before the steps); else
 * -1 and why[]. A type it cannot find or read counts as losing data. */
int stmt_match_types(const Plan *plan, const PlanStep *step, char *why, size_t why_len);

#endif
