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

#endif
