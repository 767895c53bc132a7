/* execute: runs the steps the judgement says to run, teardown then setup
 * (the plan's order), each recorded in the registry as it ends, and stops
 * at the first that fails for good. */
#ifndef MVRUN_EXECUTE_H
#define MVRUN_EXECUTE_H

#include "conn.h"
#include "judge.h"
#include "plan.h"
#include "progress.h"
#include "readback.h"
#include "recorder.h"
#include "registry.h"
#include "report.h"

typedef struct Execution {
    const Plan *plan;
    Conn *conn;
    Registry *reg;
    const Judgement *judgement;
    Report *report;
    volatile sig_atomic_t *stop;    /* set by SIGINT/SIGTERM: stop after the current step */
    Recorder *recorder;             /* NULL: records are written on conn, synchronously */
    /* With a cluster: a connection whose statements go with
     * distributed_ddl_task_timeout = 0, so that they are only queued
     * (execute.c, "Batches"); NULL: every step waits for its answer. */
    Conn *enqueue;
    long ddl_timeout_ms;            /* how long a batch may wait for every host */
    /* NULL, or where a batch that ends the run leaves its last read of
     * every host and its rows for the read-back (readback.h) instead of
     * writing them itself. */
    ReadbackInput *final;
    long cutoff_margin_s;           /* --cutoff-margin: `backfill by` MVs (cutoff.c) */
    /* HTTP: how to open the connection that watches a backfill step while
     * it runs (progress.h); NULL (chDB): a fill reports when it ends. */
    const TransportConfig *watch;
    int tty;                        /* stderr is a terminal: a live progress line */
    long watch_requests;            /* made by the watching connections */
    int recording;                  /* rows were handed to the recorder since it was last waited for */
    int started;                    /* the run wrote to the registry */
    /* Testing aid, from MVRUN_FAULT (docs/mvrun.md): SIGKILL this process
     * right after step fault_step's statement succeeded (before it is
     * recorded), or with fault_after_record right after it is recorded. */
    unsigned fault_step;
    int fault_after_record;
    int fault_stop;     /* stop-after:N: SIGSTOP instead, once step N is recorded */
    /* MVRUN_FAULT=chunk-staged:K, chunk-moved:K, chunk-done:K: SIGKILL in a
     * chunked fill (fill.c) once chunk K is in the stage (recorded), once
     * its parts are moved (not recorded), once it is recorded done. */
    unsigned fault_chunk;
    /* MVRUN_FAULT=slow-cutoff:N: the first N filtered CREATEs of a
     * `backfill by` MV are sent only once the server's clock has passed
     * their cutoff (a real wait of the margin and a second). */
    int fault_slow_cutoff;
    /* MVRUN_FAULT=batch-queued:K: SIGKILL once K statements of a batch
     * are queued (none of its steps recorded yet). */
    unsigned fault_queued;
    int fault_chunk_at;             /* 1 staged, 2 moved, 3 done */
    int fill_table;                 /* <registry>.fill_chunks exists (fill_prepare) */
    unsigned fill_seq;              /* fill.c's rows written by this run */
    const PlanStep *fill_emptied;   /* the fill whose target this run's truncate step just emptied, until it starts */
    const PlanStep *fill_stopped;   /* the fill before whose truncate earlier fills were stopped (fill_stop.h) */
    unsigned long long chunk_rows;  /* --chunk-rows: a chunk takes partitions until it has this many */
} Execution;

/* Records what the judgement learned (adopted states) and the steps
 * about to run, then runs them. Sets report->steps[], and on failure
 * report->error, failed_step and exit_code. Returns 0 when every step
 * that had to run ran. */
int execute_plan(Execution *x);

#endif
