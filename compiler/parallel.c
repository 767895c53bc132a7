#include "parallel.h"

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

void parallel_for(int n, int nworkers, void (*fn)(void *ctx, int worker, int item), void *ctx)
{
    Shared shared = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&shared.next, 0);
    Worker workers[PARALLEL_MAX_WORKERS];
    /* pthreads, not C11 threads: ThreadSanitizer and helgrind know them. */
    pthread_t threads[PARALLEL_MAX_WORKERS];
    if (nworkers > PARALLEL_MAX_WORKERS)
        nworkers = PARALLEL_MAX_WORKERS;
    /* A thread that cannot be started leaves its share to the others. */
    int started = 1;
    for (; started < nworkers; started++) {
        workers[started] = (Worker){&shared, started};
        if (pthread_create(&threads[started], NULL, work, &workers[started]) != 0)
            break;
    }
    workers[0] = (Worker){&shared, 0};
    work(&workers[0]);
    for (int t = 1; t < started; t++)
        pthread_join(threads[t], NULL);
}
