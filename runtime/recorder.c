/* recorder: see recorder.h. One thread, one connection, a mailbox of one
 * job guarded by a mutex and a condition variable. */
#include "recorder.h"

#include "strbuf.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct Recorder {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Conn conn;                  /* used by the thread only */
    char *job;                  /* the INSERT to send; NULL when none is waiting */
    int busy;                   /* a job was handed over and has not finished */
    int quit;
    TransportResult result;     /* of the last finished job */
};

static void *run(void *arg)
{
    Recorder *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->job && !r->quit)
            pthread_cond_wait(&r->cv, &r->mu);
        if (!r->job)
            break;
        char *sql = r->job;
        r->job = NULL;
        pthread_mutex_unlock(&r->mu);
        TransportResult res;
        conn_query_retrying(&r->conn, sql, NULL, &res);
        free(sql);
        pthread_mutex_lock(&r->mu);
        transport_result_free(&r->result);
        r->result = res;
        r->busy = 0;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

Recorder *recorder_start(const TransportConfig *cfg, const RetryPolicy *retry,
                         volatile sig_atomic_t *stop, TransportError *err)
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
    r->result.ok = 1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
        transport_close(r->conn.t);
        free(r);
        err->cls = TR_PERMANENT;
        strcpy(err->message, "cannot start the recorder thread");
        return NULL;
    }
    return r;
}

/* With the mutex held: waits until no job is in flight, and moves its
 * result out. */
static int take_result(Recorder *r, TransportResult *res)
{
    while (r->busy)
        pthread_cond_wait(&r->cv, &r->mu);
    *res = r->result;
    memset(&r->result, 0, sizeof r->result);
    r->result.ok = 1;
    return res->ok ? 0 : -1;
}

int recorder_submit(Recorder *r, char *sql, TransportResult *prev)
{
    pthread_mutex_lock(&r->mu);
    int rc = take_result(r, prev);
    if (rc == 0) {
        r->job = sql;
        r->busy = 1;
        pthread_cond_broadcast(&r->cv);
    } else {
        free(sql);
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}

int recorder_wait(Recorder *r, TransportResult *res)
{
    pthread_mutex_lock(&r->mu);
    int rc = take_result(r, res);
    pthread_mutex_unlock(&r->mu);
    return rc;
}

long recorder_stop(Recorder *r)
{
    if (!r)
        return 0;
    pthread_mutex_lock(&r->mu);
    while (r->busy)
        pthread_cond_wait(&r->cv, &r->mu);
    r->quit = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    transport_result_free(&r->result);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    transport_close(r->conn.t);
    long requests = r->conn.requests;
    free(r);
    return requests;
}
