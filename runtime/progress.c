/* progress: see progress.h. One thread, one connection, a poll every half second. */
#include "progress.h"

#include "conn.h"
#include "tsv.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first look comes soon, so that a fill of a fraction of a second
 * still reports what it read; then twice a second. */
#define FIRST_POLL_MS 100
#define POLL_MS 500

struct Progress {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Transport *t;
    char *sql;                  /* the system.processes query */
    char *prefix;
    int tty;
    int quit;
    long requests;
    FillCounts seen;
    double elapsed_s;
};

void progress_human(unsigned long long n, char *buf, size_t size)
{
    static const char unit[] = " KMGTP";
    double x = (double)n;
    int u = 0;
    while (x >= 1000.0 && u < 5) {
        x /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu", n);
    else
        snprintf(buf, size, "%.1f%c", x, unit[u]);
}

/* `[5/7] backfill ... 1.2M of 5.0M rows, 40.0 MB read, 3.1M rows/s, 2 s left` */
static void draw(const Progress *p)
{
    char done[16], total[16], bytes[16], rate[16];
    const FillCounts *c = &p->seen;
    progress_human(c->read_rows, done, sizeof done);
    progress_human(c->read_bytes, bytes, sizeof bytes);
    double per_s = p->elapsed_s > 0 ? (double)c->read_rows / p->elapsed_s : 0;
    progress_human((unsigned long long)per_s, rate, sizeof rate);
    fprintf(stderr, "\r\033[K%s%s", p->prefix, done);
    if (c->rows_to_read) {
        progress_human(c->rows_to_read, total, sizeof total);
        fprintf(stderr, " of %s", total);
    }
    fprintf(stderr, " rows, %sB read, %s rows/s", bytes, rate);
    if (c->rows_to_read > c->read_rows && per_s > 0)
        fprintf(stderr, ", %.0f s left", (double)(c->rows_to_read - c->read_rows) / per_s);
    fflush(stderr);
}

/* One look at system.processes; nothing when the statement is not (or no
 * longer) there. */
static void poll_once(Progress *p)
{
    TransportResult res;
    p->requests++;
    if (transport_query(p->t, p->sql, strlen(p->sql), NULL, &res) == 0) {
        Tsv rows = {0};
        if (tsv_parse(res.body, res.body_len, &rows) == 0 && rows.n == 1 && rows.rows[0].n == 6) {
            char **f = rows.rows[0].fields;
            pthread_mutex_lock(&p->mu);
            p->elapsed_s = strtod(f[0], NULL);
            p->seen = (FillCounts){.known = 1, .read_rows = strtoull(f[1], NULL, 10),
                                   .read_bytes = strtoull(f[2], NULL, 10),
                                   .rows_to_read = strtoull(f[3], NULL, 10),
                                   .written_rows = strtoull(f[4], NULL, 10),
                                   .written_bytes = strtoull(f[5], NULL, 10)};
            if (p->tty && !p->quit)
                draw(p);
            pthread_mutex_unlock(&p->mu);
        }
        tsv_free(&rows);
    }
    transport_result_free(&res);
}

static void *run(void *arg)
{
    Progress *p = arg;
    pthread_mutex_lock(&p->mu);
    for (long wait_ms = FIRST_POLL_MS;; wait_ms = POLL_MS) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += wait_ms * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!p->quit && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
            ;
        if (p->quit)
            break;
        pthread_mutex_unlock(&p->mu);
        poll_once(p);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Frees what progress_start made, once its thread is gone (or never ran). */
static void progress_free(Progress *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    transport_close(p->t);
    free(p->sql);
    free(p->prefix);
    free(p);
}

Progress *progress_start(const TransportConfig *cfg, const char *query_id, const char *prefix,
                         int tty)
{
    Progress *p = xcalloc(1, sizeof *p);
    TransportError err;
    if (transport_open(cfg, &p->t, &err) != 0) {
        free(p);
        return NULL;
    }
    size_t n = strlen(query_id) + 200;
    p->sql = xcalloc(1, n);
    /* query_id is mvrun's own (`mvd-<sha256 prefix>-<step>`): no quote in it. */
    snprintf(p->sql, n, "SELECT elapsed, read_rows, read_bytes, total_rows_approx, written_rows, "
             "written_bytes FROM system.processes WHERE query_id = '%s' FORMAT TabSeparated",
             query_id);
    p->prefix = xstrdup(prefix);
    p->tty = tty;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        progress_free(p);
        return NULL;
    }
    return p;
}

long progress_stop(Progress *p, FillCounts *out)
{
    *out = (FillCounts){0};
    if (!p)
        return 0;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    *out = p->seen;
    if (p->tty && p->seen.known) {
        fprintf(stderr, "\r\033[K%s", p->prefix);
        fflush(stderr);
    }
    long requests = p->requests;
    progress_free(p);
    return requests;
}

void progress_final(const TransportResult *res, const FillCounts *seen, FillCounts *out)
{
    if (res->ok && res->has_counts) {
        *out = (FillCounts){.known = 1, .final = 1, .read_rows = res->read_rows,
                            .read_bytes = res->read_bytes, .written_rows = res->written_rows,
                            .written_bytes = res->written_bytes,
                            .rows_to_read = seen->rows_to_read};
        return;
    }
    *out = *seen;
}
