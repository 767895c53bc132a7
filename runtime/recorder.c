/* recorder: see recorder.h. One thread, one connection, a queue of rows
 * guarded by a mutex and a condition variable. */
#include "recorder.h"

#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEND_AFTER_MS 100

/* Rows of consecutive steps: how many, and the first and last step. */
typedef struct Rows {
    size_t n;
    unsigned first, last;
} Rows;

struct Recorder {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Conn conn;                  /* used by the thread only */
    char *prefix;               /* INSERT INTO ... VALUES */
    size_t max_unrecorded;
    StrBuf queue;               /* the queued rows, comma-separated */
    Rows queued, in_flight;
    struct timespec oldest;     /* when the first queued row was queued */
    int quit;
    int flush;                  /* someone waits for the queue to be written */
    int hold;                   /* testing aid: send nothing */
    int failed;                 /* an INSERT failed: nothing more is sent */
    TransportResult result;     /* of the failed INSERT */
    unsigned lost[2];           /* the steps whose rows were not written */
};

static void rows_add(Rows *rows, unsigned step)
{
    if (rows->n++ == 0)
        rows->first = step;
    rows->last = step;
}

/* With the mutex held: sends what is queued, in one INSERT. */
static void send_queue(Recorder *r)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, r->prefix);
    strbuf_add(&sql, r->queue.s, r->queue.len);
    strbuf_clear(&r->queue);
    r->in_flight = r->queued;
    r->queued = (Rows){0};
    pthread_mutex_unlock(&r->mu);
    TransportResult res;
    conn_query_retrying(&r->conn, strbuf_str(&sql), NULL, &res);
    strbuf_free(&sql);
    pthread_mutex_lock(&r->mu);
    if (res.ok || r->failed) {
        transport_result_free(&res);
    } else {
        r->failed = 1;
        r->result = res;
        r->lost[0] = r->in_flight.first;
    }
    r->in_flight = (Rows){0};
    pthread_cond_broadcast(&r->cv);
}

/* With the mutex held: whether the queue is to be sent now. Not at once:
 * a row waits for more (up to half of what may be unrecorded) or for
 * SEND_AFTER_MS, so that a fast run of steps goes in a few INSERTs. */
static int due(Recorder *r)
{
    if (!r->queued.n || r->failed || r->hold)
        return 0;
    if (r->flush || r->quit || r->queued.n * 2 >= r->max_unrecorded)
        return 1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long ms = (long)(now.tv_sec - r->oldest.tv_sec) * 1000 + (now.tv_nsec - r->oldest.tv_nsec) / 1000000;
    return ms >= SEND_AFTER_MS;
}

static void *run(void *arg)
{
    Recorder *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!due(r) && !r->quit) {
            if (!r->queued.n || r->failed || r->hold) {
                pthread_cond_wait(&r->cv, &r->mu);
                continue;
            }
            struct timespec until = r->oldest;
            until.tv_nsec += SEND_AFTER_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            int rc = pthread_cond_timedwait(&r->cv, &r->mu, &until);
            if (rc != 0 && rc != ETIMEDOUT)
                break;
        }
        if (!due(r))
            break;
        send_queue(r);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

Recorder *recorder_start(const TransportConfig *cfg, const RetryPolicy *retry,
                         volatile sig_atomic_t *stop, const char *insert_prefix,
                         size_t max_unrecorded, TransportError *err)
{
    Recorder *r = xcalloc(1, sizeof *r);
    if (transport_open(cfg, &r->conn.t, err) != 0) {
        free(r);
        return NULL;
    }
    r->conn.url = cfg->url;
    r->conn.retry = *retry;
    r->conn.stop = stop;
    r->conn.jitter_seed = (unsigned)getpid() * 2654435761u;
    r->prefix = xstrdup(insert_prefix);
    r->max_unrecorded = max_unrecorded ? max_unrecorded : 1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        transport_close(r->conn.t);
        free(r->prefix);
        free(r);
        err->cls = TR_PERMANENT;
        strcpy(err->message, "cannot start the recorder thread");
        return NULL;
    }
    return r;
}

void recorder_hold(Recorder *r)
{
    pthread_mutex_lock(&r->mu);
    r->hold = 1;
    pthread_mutex_unlock(&r->mu);
}

/* With the mutex held: the failure, if any, into *failed and steps[]. */
static int take_failure(Recorder *r, TransportResult *failed, unsigned steps[2])
{
    memset(failed, 0, sizeof *failed);
    failed->ok = 1;
    if (!r->failed)
        return 0;
    *failed = r->result;
    memset(&r->result, 0, sizeof r->result);
    r->result.ok = 1;
    steps[0] = r->lost[0];
    steps[1] = r->lost[1];
    return -1;
}

int recorder_submit(Recorder *r, char *row, unsigned step, TransportResult *failed,
                    unsigned steps[2])
{
    pthread_mutex_lock(&r->mu);
    while (!r->failed && r->queued.n + r->in_flight.n >= r->max_unrecorded) {
        if (r->hold)
            raise(SIGKILL);
        pthread_cond_wait(&r->cv, &r->mu);
    }
    int rc = take_failure(r, failed, steps);
    if (rc == 0) {
        if (r->queued.n)
            strbuf_puts(&r->queue, ", ");
        else
            clock_gettime(CLOCK_REALTIME, &r->oldest);
        strbuf_puts(&r->queue, row);
        rows_add(&r->queued, step);
        r->lost[1] = step;
        pthread_cond_broadcast(&r->cv);
    } else {
        steps[1] = step;
    }
    pthread_mutex_unlock(&r->mu);
    free(row);
    return rc;
}

/* With the mutex held: waits until nothing more will be written. */
static void drain(Recorder *r)
{
    r->flush = 1;
    pthread_cond_broadcast(&r->cv);
    while (r->in_flight.n || (r->queued.n && !r->failed && !r->hold))
        pthread_cond_wait(&r->cv, &r->mu);
}

int recorder_wait(Recorder *r, TransportResult *failed, unsigned steps[2])
{
    pthread_mutex_lock(&r->mu);
    drain(r);
    r->flush = 0;
    int rc = take_failure(r, failed, steps);
    pthread_mutex_unlock(&r->mu);
    return rc;
}

long recorder_stop(Recorder *r)
{
    if (!r)
        return 0;
    pthread_mutex_lock(&r->mu);
    drain(r);
    r->quit = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    transport_result_free(&r->result);
    strbuf_free(&r->queue);
    free(r->prefix);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    transport_close(r->conn.t);
    long requests = r->conn.requests;
    free(r);
    return requests;
}
