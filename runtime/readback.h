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
#include "state.h"

/* What the run hands to the read-back: on a cluster whose last steps
 * were one batch, every host's state read (with the definitions' hashes)
 * once the batch had landed everywhere, and the batch's rows, written
 * with the read-back's own (execute.c, "Batches"). Nothing runs between
 * that read and the read-back, so reading again would show the same. */
typedef struct ReadbackInput {
    LiveState live;
    int have_live;
    HistoryRow *rows;
    size_t n_rows;
} ReadbackInput;

/* Returns 0, or -1 after report_fail (the server could not be read or
 * written, or a table is not what its step said it would be). in: NULL,
 * or what the run read and has to record . */
int readback(const Plan *plan, Conn *c, Registry *reg, Report *report, const ReadbackInput *in);

void readback_input_free(ReadbackInput *in);

#endif
