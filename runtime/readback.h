/* readback: after the steps, what they left on the server. One query
 * reads the plan's objects again; for every object a step changed, the
 * registry gets a `verified` row with the hash of its live definition
 * (what drift is later judged against), and each table changed is checked
 * against the plan's shape for the state its step set. Then the run's
 * `end` row, which tells later runs that this one was not killed. */
#ifndef MVRUN_READBACK_H
#define MVRUN_READBACK_H

#include "conn.h"
#include "judge.h"
#include "plan.h"
#include "registry.h"
#include "report.h"

/* Returns 0, or -1 after report_fail (the server could not be read or
 * written, or a table is not what its step said it would be). */
int readback(const Plan *plan, Conn *c, Registry *reg, Report *report);

#endif
