/* conn: see conn.h. */
#include "conn.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Each occurrence of secret in *msg replaced by "<password>". */
static void scrub(char **msg, const char *secret)
{
    size_t n = strlen(secret);
    if (!*msg || !strstr(*msg, secret))
        return;
    StrBuf out = {0};
    const char *p = *msg, *hit;
    while ((hit = strstr(p, secret)) != NULL) {
        strbuf_printf(&out, "%.*s<password>", (int)(hit - p), p);
        p = hit + n;
    }
    strbuf_puts(&out, p);
    free(*msg);
    *msg = strbuf_take(&out);
}

int conn_query_n(Conn *c, const char *sql, size_t len, const char *query_id, TransportResult *res)
{
    c->requests++;
    int rc = transport_query(c->t, sql, len, query_id, res);
    if (rc != 0 && c->secret && *c->secret)
        scrub(&res->message, c->secret);
    return rc;
}

int conn_query(Conn *c, const char *sql, const char *query_id, TransportResult *res)
{
    return conn_query_n(c, sql, strlen(sql), query_id, res);
}

long retry_delay_ms(Conn *c, int attempt)
{
    long delay = c->retry.first_delay_ms;
    for (int i = 2; i < attempt && delay < c->retry.max_delay_ms; i++)
        delay *= 2;
    if (delay > c->retry.max_delay_ms)
        delay = c->retry.max_delay_ms;
    /* Jitter: two mvruns that failed together do not retry together. */
    long jitter = delay / 2;
    if (jitter > 0)
        delay = delay - jitter + (long)(rand_r(&c->jitter_seed) % (unsigned)(2 * jitter + 1));
    return delay;
}

void conn_sleep(Conn *c, long ms)
{
    while (ms > 0 && !(c->stop && *c->stop)) {
        long step = ms > 100 ? 100 : ms;
        struct timespec ts = {step / 1000, (step % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

int conn_ddl_timed_out(const Conn *c, const TransportResult *res)
{
    return c->hosts && res->code == CONN_CODE_DDL_TIMEOUT;
}

static int retryable(TransportClass cls)
{
    return cls == TR_TRANSIENT || cls == TR_CONNECT;
}

int conn_query_retrying(Conn *c, const char *sql, const char *query_id, TransportResult *res)
{
    int64_t start = now_ms();
    for (int attempt = 1;; attempt++) {
        if (conn_query(c, sql, query_id, res) == 0)
            return 0;
        if (!retryable(res->cls) || res->final || attempt >= c->retry.max_attempts || (c->stop && *c->stop)
            || conn_ddl_timed_out(c, res))
            return -1;
        long delay = retry_delay_ms(c, attempt + 1);
        if (now_ms() - start + delay > c->retry.total_ms)
            return -1;
        transport_result_free(res);
        conn_sleep(c, delay);
    }
}

int conn_select(Conn *c, const char *sql, Tsv *rows, TransportResult *res)
{
    rows->rows = NULL;
    rows->n = 0;
    if (conn_query_retrying(c, sql, NULL, res) != 0)
        return -1;
    if (tsv_parse(res->body, res->body_len, rows) != 0) {
        res->ok = 0;
        res->cls = TR_PERMANENT;
        free(res->body);
        res->body = NULL;
        res->body_len = 0;
        res->message = strdup("the server's answer is not TabSeparated text");
        return -1;
    }
    return 0;
}
