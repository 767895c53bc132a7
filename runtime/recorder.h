/* recorder: writes each step's registry row on a connection of its own,
 * while the next step runs on the main one.
 *
 * A step's record costs a request about as long as a short DDL statement
 * (18.16: about 0.8 ms for the INSERT, 1 to 3 ms for a CREATE TABLE), so
 * writing it before the next step starts would make mvrun nearly twice
 * the work of piping the statements through clickhouse-client. Instead
 * the record of step k is sent the moment step k ends, and waited for
 * before step k + 2 starts: at most one record is in flight, so of a
 * killed run at most two steps can have run unrecorded (the state query
 * looks at two, registry.c). HTTP only: chDB runs one query at a time, and
 * there execute.c records synchronously. */
#ifndef MVRUN_RECORDER_H
#define MVRUN_RECORDER_H

#include "conn.h"
#include "transport.h"

typedef struct Recorder Recorder;

/* Starts the thread and opens its connection with cfg (which need not
 * outlive the call). Returns NULL and fills *err when that fails. */
Recorder *recorder_start(const TransportConfig *cfg, const RetryPolicy *retry,
                         volatile sig_atomic_t *stop, TransportError *err);

/* Waits for the previous record to finish (its result in *prev: ok when
 * there was none), then hands sql (taken over) to the thread. Returns 0
 * when the previous record succeeded. */
int recorder_submit(Recorder *r, char *sql, TransportResult *prev);

/* Waits for the record in flight, if any; its result in *res. */
int recorder_wait(Recorder *r, TransportResult *res);

/* Waits, stops the thread, closes its connection. Returns the number of
 * requests it made. */
long recorder_stop(Recorder *r);

#endif
