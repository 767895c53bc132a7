/* fill: a backfill step that fills its MV's target chunk by chunk, one
 * partition of the source at a time, and resumes after a kill at the
 * chunk it was in (steps with chunks=; docs/mv-changes.md, "A fill
 * resumed chunk by chunk"). */
#ifndef MVRUN_FILL_H
#define MVRUN_FILL_H

#include "execute.h"

#define FILL_TABLE "fill_chunks"

/* Before anything runs: makes <registry>.fill_chunks when a step to run
 * fills by chunks, or empties a backfill MV's target on a server that
 * could have a chunked fill of it in progress (then its truncate must
 * say that that fill is over). Sets *have_table. Returns 0, or -1 after
 * report_fail. */
int fill_prepare(const Plan *plan, const Judgement *j, Conn *conn, const char *server_version,
                 Report *report, int *have_table);

/* Before the truncate step s of an MV: 1 when the chunked fill that
 * follows (next; never one with a cutoff) resumes, so the target keeps the chunks it has and the
 * truncate is not sent; 0 when it is sent (a `truncate` row is written
 * first, which ends any fill of the MV in progress); -1 with *res filled
 * on failure. next is NULL when the fill is one statement. */
int fill_before_truncate(Execution *x, const PlanStep *s, const PlanStep *next, TransportResult *res);

/* Right after the filtered CREATE of a `backfill by` MV whose fill goes by
 * chunks (fill) was found made before its cutoff (cutoff, seconds since
 * 1970): the `cutoff` marker, which lets a later run keep the MV and
 * resume the fill (cutoff_resume.h). Returns 0, or -1 with *res filled. */
int fill_cutoff_made(Execution *x, const PlanStep *fill, long long cutoff, TransportResult *res);

/* Runs the chunked backfill step s: every chunk not done yet, each
 * inserted into the stage and moved into the target. Fills sr->fill
 * with the sums of what the chunks read and wrote. Returns 0, or -1 with
 * *res the failure. */
int fill_run(Execution *x, const PlanStep *s, StepReport *sr, TransportResult *res);

#endif
