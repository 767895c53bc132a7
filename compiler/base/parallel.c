#include "base/parallel.h"

#include <stdatomic.h>
#include <pthread.h>
#include <unistd.h>

typedef struct Shared {
    atomic_int next;  /* the next item nobody has taken */
    int n;
    void (*fn)(void *ctx, int worker, int item);
    void *ctx;
} Shared;

typedef struct Worker {
    Shared *shared;
    int index;
} Worker;

static void *work(void *arg)
{
    Worker *w = arg;
    Shared *s = w->shared;
    for (int i; (i = atomic_fetch_add(&s->next, 1)) < s->n;)
        s->fn(s->ctx, w->index, i);
    return NULL;
}

int parallel_workers(int max, int items, size_t work, size_t min_per_worker)
{
    long t = max > 0 ? max : sysconf(_SC_NPROCESSORS_ONLN);
    if (t > PARALLEL_MAX_WORKERS)
        t = PARALLEL_MAX_WORKERS;
    if (t > items)
        t = items;
    if (min_per_worker && (size_t)t > work / min_per_worker)
        t = (long)(work / min_per_worker);
    return t < 1 ? 1 : (int)t;
}

struct ParallelJob {
    Shared shared;
    Worker workers[PARALLEL_MAX_WORKERS];
    /* pthreads, not C11 threads: ThreadSanitizer and helgrind know them. */
    pthread_t threads[PARALLEL_MAX_WORKERS];
    int started;
};

static void job_start(ParallelJob *j, int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx)
{
    j->shared = (Shared){.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&j->shared.next, 0);
    if (nworkers > PARALLEL_MAX_WORKERS)
        nworkers = PARALLEL_MAX_WORKERS;
    /* A thread that cannot be started leaves its share to the others. */
    for (j->started = 1; j->started < nworkers; j->started++) {
        j->workers[j->started] = (Worker){&j->shared, j->started};
        if (pthread_create(&j->threads[j->started], NULL, work, &j->workers[j->started]) != 0)
            break;
    }
}

ParallelJob *parallel_start(Arena *a, int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx)
{
    ParallelJob *j = arena_alloc(a, sizeof *j);
    job_start(j, n, nworkers, fn, ctx);
    return j;
}

void parallel_join(ParallelJob *j)
{
    j->workers[0] = (Worker){&j->shared, 0};
    work(&j->workers[0]);
    for (int t = 1; t < j->started; t++)
        pthread_join(j->threads[t], NULL);
}

void parallel_for(int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx)
{
    ParallelJob j;
    job_start(&j, n, nworkers, fn, ctx);
    parallel_join(&j);
}
