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

/* Before a cutoff step: for the filtered CREATE, writes T = the server's
 * now() + margin_s for its MV; for the fill, waits until the server's
 * clock is past T + margin_s. Returns 0, or -1 with *res filled. */
int cutoff_before_step(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn, Report *report,
                       TransportResult *res);

#endif
