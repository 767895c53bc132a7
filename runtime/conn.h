/* conn: the one connection mvrun holds to its target, with what the
 * report needs to know about it (how many requests went out), and the
 * retry policy for mvrun's own queries (registry, lock, state), which are
 * all safe to send again. */
#ifndef MVRUN_CONN_H
#define MVRUN_CONN_H

#include "transport.h"
#include "tsv.h"

#include <signal.h>
#include <stdint.h>

typedef struct RetryPolicy {
    int max_attempts;           /* per statement, the first included */
    long first_delay_ms;        /* doubled after each attempt, with jitter */
    long max_delay_ms;
    long total_ms;              /* no new attempt starts after this much time */
} RetryPolicy;

struct ClusterHosts;

typedef struct Conn {
    Transport *t;
    /* The plan's cluster (hosts.h), NULL for a single server: the state
     * is then read from every host through this connection. */
    const struct ClusterHosts *hosts;
    int is_chdb;
    const char *url;            /* for messages; holds no password */
    /* NULL, or the password that statements sent on this connection hold
     * (remote()'s argument, hosts.h): every failure's message is cleaned
     * of it before anything can print it (a server may quote the query). */
    const char *secret;
    long requests;              /* every request sent, retries included */
    RetryPolicy retry;
    unsigned jitter_seed;       /* for rand_r: no global random state */
    volatile sig_atomic_t *stop;    /* set by a signal: no more retries */
} Conn;

/* One request, counted. Returns 0 when res->ok. */
int conn_query(Conn *c, const char *sql, const char *query_id, TransportResult *res);
/* The same for len bytes that need not end with a NUL (a plan's statement). */
int conn_query_n(Conn *c, const char *sql, size_t len, const char *query_id, TransportResult *res);

/* conn_query, retried while the failure is transient or a connection
 * failure, within c->retry. For mvrun's own statements only: each must be
 * safe to run twice. */
int conn_query_retrying(Conn *c, const char *sql, const char *query_id, TransportResult *res);

/* 159: an ON CLUSTER statement waited distributed_ddl_task_timeout for a
 * host (mvrun sends --ddl-timeout). It ran on the hosts that answered and
 * stays in the DDL queue for the others: sending it again would only
 * queue it twice, so on a cluster it is an answer, not a failure to
 * retry (conn_query_retrying returns it at once). */
#define CONN_CODE_DDL_TIMEOUT 159
int conn_ddl_timed_out(const Conn *c, const TransportResult *res);

/* conn_query_retrying, then the answer read as TabSeparated into *rows.
 * A garbled answer becomes a permanent failure in *res. */
int conn_select(Conn *c, const char *sql, Tsv *rows, TransportResult *res);

/* How long to wait before attempt number `attempt` (2, 3, ...): doubling
 * from first_delay_ms, capped, with up to 50% random jitter. */
long retry_delay_ms(Conn *c, int attempt);

/* Sleeps ms milliseconds (shorter when *c->stop is set). */
void conn_sleep(Conn *c, long ms);

/* Milliseconds on a monotonic clock. */
int64_t now_ms(void);

#endif
