/* cutoff: the time that splits a `backfill by` MV's rows between its fill
 * and the MV itself (cutoff.c, docs/mv-changes.md). */
#ifndef MVRUN_CUTOFF_H
#define MVRUN_CUTOFF_H

#include "conn.h"
#include "judge.h"
#include "plan.h"
#include "report.h"

/* Before anything runs: when a step to run reads a cutoff, makes
 * <registry>.cutoffs (the pre-flight describes those steps' SELECTs,
 * which read it). Returns 0, or -1 after report_fail. */
int cutoff_prepare(const Plan *plan, const Judgement *j, Conn *conn, Report *report);

/* Before a cutoff MV's filtered CREATE: writes T = the server's now()
 * + margin_s + 1 (now() drops the fraction of its second: T is at least
 * margin_s ahead). Returns 0, or -1 with *res filled. */
int cutoff_write(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn, TransportResult *res);

/* Right after that CREATE returned: 1 when the server's clock is at or
 * past the MV's T (a row inserted in between may be seen by neither the
 * MV nor its fill), 0 when it is before, -1 with *res filled when the
 * server could not tell. *cutoff: T, in seconds since 1970. */
int cutoff_passed(const Plan *plan, const PlanStep *s, Conn *conn, long long *cutoff, TransportResult *res);

/* The last step before step i (its index) of the same phase on the same
 * MV whose action is `action` (the drop and the truncate that undo a
 * filtered CREATE made too late), or NULL. */
const PlanStep *cutoff_undo_step(const Plan *plan, size_t i, const char *action);

/* Before a cutoff MV's fill (any other step: returns 0 at once): waits
 * until the server's clock is past T + margin_s. Returns 0, or -1 with
 * *res filled. */
int cutoff_before_fill(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn, Report *report,
                       TransportResult *res);

#endif
