/* Work shared among a few threads: the passes whose items are independent
 * (parsing files, printing and hashing objects) run on every core.
 *
 * Each item is given to exactly one worker; a worker is one thread, so
 * what a pass keeps per worker (an arena, a hasher) needs no locking.
 * Callers join their workers' results in item order afterwards, so the
 * output never depends on the threads. */
#ifndef MVD_PARALLEL_H
#define MVD_PARALLEL_H

#include <stddef.h>

#include "base/arena.h"

enum { PARALLEL_MAX_WORKERS = 8 };

/* How many workers are worth starting for this much work: max (or, when
 * max is 0, one per core), but at most one per item and one per
 * min_per_worker units of work, and never more than eight. */
int parallel_workers(int max, int items, size_t work, size_t min_per_worker);

/* Calls fn(ctx, worker, item) for every item in [0, n), on nworkers
 * threads (the calling thread is worker 0). Returns when all are done. */
void parallel_for(int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx);

/* The same, split in two so that the calling thread can do other work
 * while the other workers start on the items: parallel_join makes the
 * caller worker 0 for what is left, then waits for the rest. With one
 * worker nothing runs before parallel_join. The job lives in a. */
typedef struct ParallelJob ParallelJob;
ParallelJob *parallel_start(Arena *a, int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx);
void parallel_join(ParallelJob *j);

#endif
