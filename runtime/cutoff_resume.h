/* cutoff_resume: a `backfill by` MV that a killed run left in its filtered
 * state is kept, with its cutoff, and its chunked fill resumes
 * (docs/mv-changes.md, "`backfill by` resumed chunk by chunk"). */
#ifndef MVRUN_CUTOFF_RESUME_H
#define MVRUN_CUTOFF_RESUME_H

#include "conn.h"
#include "judge.h"
#include "plan.h"

/* Before anything runs, for each `backfill by` MV whose fill goes by
 * chunks and which the plan would drop although it is in the filtered
 * state the plan's own CREATE makes: when the registry's fill records say
 * that this CREATE returned before its cutoff, that the cutoff is still
 * the MV's, and that nothing emptied the target since, the drop, the
 * truncate and the CREATE are held back (judge_hold), so that the fill
 * resumes where it stopped and MODIFY QUERY follows. Returns the number
 * of MVs kept, or -1 with *res filled when the records could not be read. */
int cutoff_resume(const Plan *plan, Judgement *j, Conn *conn, TransportResult *res);

#endif
