#include "base/handoff.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct Handoff {
    HandoffConsumer consume;
    void *ctx;
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    StrBuf inflight;  /* the chunk the consumer has, or an empty buffer */
    bool pending;     /* inflight holds a chunk not yet consumed */
    bool done;        /* no more chunks will come */
};

static void *consumer(void *arg)
{
    Handoff *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->pending && !h->done)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->pending)
            break;
        pthread_mutex_unlock(&h->mu);
        h->consume(h->ctx, h->inflight.s, h->inflight.len);
        pthread_mutex_lock(&h->mu);
        h->inflight.len = 0;
        h->pending = false;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

Handoff *handoff_start(HandoffConsumer consume, void *ctx, bool threaded)
{
    Handoff *h = calloc(1, sizeof *h);
    if (!h) {
        fputs("mvdc: out of memory\n", stderr);
        exit(70);
    }
    h->consume = consume;
    h->ctx = ctx;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    /* Without the thread (one asked for, or none to be had), at once. */
    h->threaded = threaded && pthread_create(&h->thread, NULL, consumer, h) == 0;
    return h;
}

void handoff_put(Handoff *h, StrBuf *b)
{
    if (!b->len)
        return;
    if (!h->threaded) {
        h->consume(h->ctx, b->s, b->len);
        b->len = 0;
        return;
    }
    pthread_mutex_lock(&h->mu);
    while (h->pending)
        pthread_cond_wait(&h->cv, &h->mu);
    StrBuf finished = h->inflight;
    h->inflight = *b;
    *b = finished;
    b->len = 0;
    h->pending = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

void handoff_finish(Handoff *h)
{
    if (h->threaded) {
        pthread_mutex_lock(&h->mu);
        h->done = true;
        pthread_cond_broadcast(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->thread, NULL);
    }
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    strbuf_free(&h->inflight);
    free(h);
}
