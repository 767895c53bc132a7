/* registry: what mvrun remembers in the target itself, in the database
 * that `@option registry` names (default _mvd):
 *
 *   history   every step run, append-only: one row when a run plans its
 *             steps (outcome `planned`), one when each step ends (`ok`,
 *             `failed`), rows for states mvrun recognised without running
 *             anything (`adopted`), the live definitions' hashes read back
 *             after the run (`verified`), the run's end (`end`), and a
 *             broken lock (`lock-broken`)
 *   objects   a view of history: each object's latest state and the hash
 *             of its live create_table_query as mvrun last read it back
 *   lock      exists only while an mvrun runs (lock.c)
 *
 * Rows are ordered by seq = run << 32 | index: runs are numbered by the
 * registry itself under the lock, so the order does not depend on clocks.
 * The tables are created by mvrun when absent. See docs/mvrun.md. */
#ifndef MVRUN_REGISTRY_H
#define MVRUN_REGISTRY_H

#include "conn.h"
#include "strbuf.h"

#include <stdint.h>

/* How many steps of a run that did not end can have run unrecorded: on
 * one server the rows the recorder may hold unwritten (queued or in
 * flight, recorder.h) and the step running; on a cluster also a batch of
 * creates (execute.c, "Batches"), which waits for those rows first. */
#define REGISTRY_PENDING_ONE 16
/* A batch's steps (execute.c) are consecutive steps of the plan, each on
 * an object of its own. After a run killed during a batch, the next run
 * reads up to REGISTRY_PENDING_CLUSTER unrecorded steps and keeps those a
 * batch could have held (state.c, the window), and the first
 * REGISTRY_PENDING_ONE in any case. */
#define REGISTRY_BATCH_MAX 256
#define REGISTRY_PENDING_CLUSTER (REGISTRY_BATCH_MAX + 2)
/* With records written in line (no recorder: chDB, and plans with cutoff
 * steps), only the step that was running when the run was killed, and the
 * one after it, can be unrecorded. A wider window would let the judge take
 * a later step of the same MV for one that ran (a cutoff MV judged already
 * rebuilt while it still filters: rows never filled). */
#define REGISTRY_PENDING_INLINE 2

#define REGISTRY_HISTORY "history"
#define REGISTRY_OBJECTS "objects"
#define REGISTRY_LOCK "lock"
#define REGISTRY_HISTORY_NEW "history_migrating"  /* registry_migrate's copy */
#define REGISTRY_HISTORY_OLD "history_stripelog"  /* what it replaced */

/* The columns of history, as its CREATE TABLE lists them: `name Type, ...`. */
extern const char registry_history_columns[];

typedef struct Registry {
    Conn *conn;
    const char *db;             /* unescaped */
    const char *cluster;        /* NULL: a single server */
    const char *plan_sha256;
    const char *who;            /* user@host */
    const char *server_version;
    uint64_t run;               /* this run's number, from registry_state_sql's 'm' row */
    int inline_records;         /* every record is written before the next step (no recorder) */
} Registry;

typedef struct HistoryRow {
    const char *outcome;
    unsigned index;             /* order within the run: the step, or one of REGISTRY_INDEX_* */
    unsigned step;              /* 0: not a step */
    const char *phase, *action, *kind, *qname;
    const char *statement_sha256;
    const char *state;          /* the object's state this row stands for */
    const char *src;
    int64_t started;            /* unix seconds */
    int64_t duration_ms;
    int attempts;
    int error_code;
    const char *error;
    const char *live_hash;
} HistoryRow;

/* Indexes for rows that are not a step's: before every step, after all. */
#define REGISTRY_INDEX_FIRST 0u
#define REGISTRY_INDEX_VERIFIED 0xfffffff0u
#define REGISTRY_INDEX_END 0xfffffffeu

/* CREATE DATABASE IF NOT EXISTS (ON CLUSTER when set). */
int registry_create_database(Registry *r, TransportResult *res);

/* The history table and the objects view, IF NOT EXISTS. */
int registry_create_tables(Registry *r, TransportResult *res);

/* Appends rows in one INSERT. */
/* 1 when a history table of this engine (system.tables.engine) is one of
 * the Log family, which a full disk can leave unreadable. */
int registry_needs_migration(const char *engine);

/* Copies an existing Log-family history into a MergeTree one and renames
 * it into place; run under the lock. Returns 0, or -1 with *res. */
int registry_migrate(Registry *r, TransportResult *res);

int registry_record(Registry *r, const HistoryRow *rows, size_t n, TransportResult *res);

/* That INSERT's text, for a connection of its own (recorder.h); with
 * n = 0 only `INSERT INTO <history> VALUES `. */
void registry_insert_sql(const Registry *r, const HistoryRow *rows, size_t n, StrBuf *sql);

/* One row's `(...)` tuple of that INSERT. */
void registry_row_sql(const Registry *r, const HistoryRow *row, StrBuf *sql);

/* The parts of the state query that read the registry, each starting
 * with " UNION ALL ", six String columns each:
 *   'r' kind qname state live_hash server_version   latest state per object
 *   'm' max(run) ended timed_out '' ''              the last run's number; the
 *                                                   last run with an `end`
 *                                                   row; the last with a step
 *                                                   that failed with 159
 *                                                   (0: none)
 * every_host: read the history of every host of r->conn->hosts together
 * (remote()), so that a replica that lags behind, the connected one
 * included, neither hides a recorded state nor gives out a run number
 * twice. */
void registry_state_sql(const Registry *r, int every_host, StrBuf *sql);

/* Whether the last run (the 'm' row's three numbers) can have left steps
 * unrecorded: it has no `end` row (it was killed), or a step of it failed
 * with 159. Only then is registry_pending_sql read, in a request of its
 * own: a run that ended is the common case, and needs none. */
int registry_pending_needed(uint64_t last_run, uint64_t ended_run, uint64_t timed_out_run);

/* The query (a whole SELECT, no FORMAT) for run's steps that may have
 * run unrecorded, six String columns:
 *   'p' kind qname state step ''   at most REGISTRY_PENDING_ONE
 *                                  (_CLUSTER, _INLINE) of them */
void registry_pending_sql(const Registry *r, int every_host, uint64_t run, StrBuf *sql);

#endif
