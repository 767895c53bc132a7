/* recorder: writes the steps' registry rows on a connection of its own,
 * while the next steps run on the main one, several rows per INSERT.
 *
 * A record costs a request, and on 18.16, where the history is MergeTree
 * and every INSERT writes a part of some 40 files, often more than a
 * short DDL step (registry.c). Waiting for one record per step made a
 * fresh apply of a 303-step plan 2 to 4 times slower than with the
 * StripeLog history of earlier versions. So a step's row is queued the
 * moment the step ends, and the thread sends every row queued so far in
 * one INSERT as soon as the previous INSERT is done: the slower a record,
 * the more rows go in the next, and no step waits for one unless
 * `max_unrecorded` rows are queued or in flight. Hence of a killed run at
 * most max_unrecorded + 1 steps (those rows and the step running) can
 * have run unrecorded; the state query looks at that many
 * (REGISTRY_PENDING_ONE, registry.h), and every step is guarded by the
 * state it expects, so the next run is exact (docs/mvrun.md, Recovery).
 * HTTP only: chDB runs one query at a time, and there execute.c records
 * synchronously. */
#ifndef MVRUN_RECORDER_H
#define MVRUN_RECORDER_H

#include "conn.h"
#include "transport.h"

#include <stddef.h>

typedef struct Recorder Recorder;

/* Starts the thread and opens its connection with cfg (which need not
 * outlive the call). insert_prefix is `INSERT INTO <history> VALUES `
 * (copied); a row is appended to it as `(...)`. Returns NULL and fills
 * *err when that fails. */
Recorder *recorder_start(const TransportConfig *cfg, const RetryPolicy *retry,
                         volatile sig_atomic_t *stop, const char *insert_prefix,
                         size_t max_unrecorded, TransportError *err);

/* Testing aid (MVRUN_FAULT=unrecorded, docs/mvrun.md): send nothing, and
 * SIGKILL the process where recorder_submit would wait for room. */
void recorder_hold(Recorder *r);

/* Queues row (a `(...)` tuple, taken over) for step, waiting while
 * max_unrecorded rows are queued or in flight. Returns 0, or -1 when an
 * earlier INSERT failed: its result in *failed, and in steps[0..1] the
 * first and last step whose rows it lost (none is sent after it). */
int recorder_submit(Recorder *r, char *row, unsigned step, TransportResult *failed,
                    unsigned steps[2]);

/* Waits until every queued row is written; the same results as
 * recorder_submit. */
int recorder_wait(Recorder *r, TransportResult *failed, unsigned steps[2]);

/* Waits, stops the thread, closes its connection. Returns the number of
 * requests it made. */
long recorder_stop(Recorder *r);

#endif
