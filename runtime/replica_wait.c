/* replica_wait: see replica_wait.h. */
#include "replica_wait.h"

#include "hosts.h"
#include "sqlquote.h"
#include "strbuf.h"
#include "tsv.h"
#include "xalloc.h"

#include <string.h>

#define POLL_MS 100

/* Sends sql every POLL_MS until it returns no row (0), until --ddl-timeout
 * has passed or the run is told to stop (1, *left the last rows, which the
 * caller frees), or a request fails (-1, *res). */
static int poll_until_empty(Execution *x, const char *sql, Tsv *left, TransportResult *res)
{
    int64_t start = now_ms();
    for (;;) {
        if (conn_select(x->conn, sql, left, res) != 0)
            return -1;
        transport_result_free(res);
        if (left->n == 0) {
            tsv_free(left);
            return 0;
        }
        if (now_ms() - start > x->ddl_timeout_ms || (x->stop && *x->stop))
            return 1;
        tsv_free(left);
        conn_sleep(x->conn, POLL_MS);
    }
}

/* After poll_until_empty ran out of time: the failure, its message made
 * of head, the rows' fields joined ("a.b: 3"), and tail. */
static void ran_out(Execution *x, const char *head, Tsv *left, const char *tail, TransportResult *res)
{
    StrBuf why = {0};
    strbuf_printf(&why, "after %ld s (--ddl-timeout), %s (", x->ddl_timeout_ms / 1000, head);
    for (size_t r = 0; r < left->n; r++) {
        const TsvRow *row = &left->rows[r];
        strbuf_puts(&why, r ? "; " : "");
        for (size_t f = 0; f < row->n; f++)
            strbuf_printf(&why, "%s%s", f == 0 ? "" : f + 1 == row->n ? ": " : ".", row->fields[f]);
        strbuf_puts(&why, " in system.replication_queue");
    }
    strbuf_printf(&why, ")%s", tail);
    tsv_free(left);
    *res = (TransportResult){.cls = TR_PERMANENT, .message = strbuf_take(&why)};
}

/* One row per host that has entries for target: its name and how many. */
static void queue_query(const ClusterHosts *h, const PlanName *target, StrBuf *sql)
{
    strbuf_puts(sql, "SELECT host, n FROM (");
    for (size_t i = 0; i < h->n; i++) {
        strbuf_puts(sql, i ? " UNION ALL " : "");
        strbuf_puts(sql, "SELECT ");
        sql_string(sql, h->hosts[i].name);
        strbuf_puts(sql, " AS host, count() AS n FROM ");
        hosts_remote(h, i, "system", "replication_queue", sql);
        strbuf_puts(sql, " WHERE database = ");
        sql_string(sql, target->db);
        strbuf_puts(sql, " AND table = ");
        sql_string(sql, target->name);
    }
    strbuf_puts(sql, ") WHERE n > 0 FORMAT TabSeparated");
}

int replica_wait_idle(Execution *x, const PlanName *target, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    const ClusterHosts *h = x->conn->hosts;
    if (!h || !h->n || !target->db)
        return 0;
    StrBuf sql = {0}, head = {0};
    queue_query(h, target, &sql);
    Tsv left;
    int rc = poll_until_empty(x, sql.s, &left, res);
    if (rc > 0) {
        strbuf_printf(&head, "replicas of %s still had entries for it", target->text);
        ran_out(x, strbuf_str(&head), &left, ", and on 18.16 a replicated TRUNCATE while a replica "
                "fetches a part of the table can block that replica for good", res);
    }
    strbuf_free(&head);
    strbuf_free(&sql);
    return rc ? -1 : 0;
}

/* The plan's databases, as a list of SQL strings: 'a', 'b'. */
static void plan_databases(const Plan *plan, StrBuf *sql)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->n_objects; i++) {
        const PlanObject *o = &plan->objects[i];
        if (o->kind != KIND_DATABASE)
            continue;
        strbuf_puts(sql, n++ ? ", " : "");
        sql_string(sql, o->name.name);
    }
    if (!n)
        strbuf_puts(sql, "''");
}

int replica_wait_fetched(Execution *x, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (!x->conn->hosts || !x->conn->hosts->n)
        return 0;
    Tsv now = {0};
    if (conn_select(x->conn, "SELECT toUInt32(now())", &now, res) != 0)
        return -1;
    transport_result_free(res);
    StrBuf sql = {0};
    strbuf_printf(&sql, "SELECT database, table, count() FROM system.replication_queue WHERE type = 'GET_PART' "
                        "AND create_time <= toDateTime(%s) AND database IN (",
                  now.n == 1 && now.rows[0].n == 1 ? now.rows[0].fields[0] : "0");
    tsv_free(&now);
    plan_databases(x->plan, &sql);
    strbuf_puts(&sql, ") GROUP BY database, table ORDER BY database, table FORMAT TabSeparated");
    Tsv left;
    int rc = poll_until_empty(x, sql.s, &left, res);
    if (rc > 0)
        ran_out(x, "the connected host still had parts written on other hosts to fetch", &left,
                ", and the fill reads its copy of the source", res);
    strbuf_free(&sql);
    return rc ? -1 : 0;
}
