/* progress: what a backfill step has done while it runs and when it ends.
 *
 * The fill is one INSERT ... SELECT that may take hours. While it runs,
 * a thread with a connection of its own asks the server's
 * system.processes for the statement's query_id twice a second (18.16 has
 * the table with read_rows, read_bytes, total_rows_approx, written_rows
 * and elapsed; it sends no X-ClickHouse-Progress headers for an INSERT,
 * tried here) and, when stderr is a terminal, rewrites one line with rows
 * and bytes done, the rate and the time left (from total_rows_approx: the
 * rows the server expects to read). HTTP only: chDB runs one statement at
 * a time, so there a fill reports its counts only when it ends. */
#ifndef MVRUN_PROGRESS_H
#define MVRUN_PROGRESS_H

#include "transport.h"

#include <stdint.h>

typedef struct FillCounts {
    int known;                  /* 0: nothing was learned */
    int final;                  /* 1: the engine's own final counts; 0: the last seen while it ran */
    unsigned long long read_rows, read_bytes, written_rows, written_bytes;
    unsigned long long rows_to_read;    /* the server's estimate; 0: none */
} FillCounts;

typedef struct Progress Progress;

/* Starts watching query_id on a connection opened with cfg. prefix (the
 * step's `[5/7] backfill ... ` line) is rewritten with the numbers when
 * tty is 1. Returns NULL when no connection or thread could be had (the
 * fill then runs unwatched). */
Progress *progress_start(const TransportConfig *cfg, const char *query_id, const char *prefix,
                         int tty);

/* Stops the thread, closes its connection, puts the last numbers seen in
 * *out (and the prefix back on the terminal's line). Returns the number of
 * requests it made. */
long progress_stop(Progress *p, FillCounts *out);

/* The counts of a finished fill: the engine's own (res->has_counts), or
 * else the last seen while it ran. */
void progress_final(const TransportResult *res, const FillCounts *seen, FillCounts *out);

/* "5.0M" for 5000000: short numbers for the terminal line. */
void progress_human(unsigned long long n, char *buf, size_t size);

#endif
