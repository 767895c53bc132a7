/* preflight: what mvrun checks on the server before a run that removes
 * anything (preflight.c). */
#ifndef MVRUN_PREFLIGHT_H
#define MVRUN_PREFLIGHT_H

#include "conn.h"
#include "judge.h"
#include "plan.h"
#include "report.h"
#include "state.h"

/* When the steps to run drop a view or MV, empty a table, lose data or
 * open a gap, every view or MV SELECT those steps will send (select=),
 * described by the server without creating anything. Returns 0 to go on; -1 after
 * report_fail (nothing was run). */
int preflight(const Plan *plan, const Judgement *j, Conn *conn, Report *report);

/* --dry-run: for each backfill step that would run, the rows its SELECT
 * reads, as the server estimates them (EXPLAIN ESTIMATE, from about 21.9;
 * left unknown on older servers and on any failure: it is only shown). */
void preflight_estimate(const Plan *plan, const Judgement *j, const LiveState *live, Conn *conn,
                        Report *report);

#endif
