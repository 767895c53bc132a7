/* replica_wait: see replica_wait.h. */
#include "replica_wait.h"

#include "hosts.h"
#include "sqlquote.h"
#include "strbuf.h"
#include "tsv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define POLL_MS 100

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
    StrBuf sql = {0};
    queue_query(h, target, &sql);
    int64_t start = now_ms();
    int rc = 0;
    for (;;) {
        Tsv rows = {0};
        if (conn_select(x->conn, sql.s, &rows, res) != 0) {
            rc = -1;
            break;
        }
        transport_result_free(res);
        if (rows.n == 0) {
            tsv_free(&rows);
            break;
        }
        if (now_ms() - start > x->ddl_timeout_ms || (x->stop && *x->stop)) {
            StrBuf why = {0};
            strbuf_printf(&why, "after %ld s (--ddl-timeout), replicas of %s still had parts of it to "
                          "fetch (", (long)((now_ms() - start) / 1000), target->text);
            for (size_t r = 0; r < rows.n; r++)
                if (rows.rows[r].n == 2)
                    strbuf_printf(&why, "%s%s: %s in system.replication_queue", r ? "; " : "",
                                  rows.rows[r].fields[0], rows.rows[r].fields[1]);
            strbuf_puts(&why, "), and on 18.16 a replicated TRUNCATE while a replica fetches a part of "
                              "the table can block that replica for good");
            *res = (TransportResult){.cls = TR_PERMANENT, .message = strbuf_take(&why)};
            tsv_free(&rows);
            rc = -1;
            break;
        }
        tsv_free(&rows);
        conn_sleep(x->conn, POLL_MS);
    }
    strbuf_free(&sql);
    return rc;
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
    Tsv rows = {0};
    if (conn_select(x->conn, "SELECT toUInt32(now())", &rows, res) != 0)
        return -1;
    transport_result_free(res);
    StrBuf sql = {0};
    strbuf_printf(&sql, "SELECT database, table, count() FROM system.replication_queue WHERE type = 'GET_PART' "
                        "AND create_time <= toDateTime(%s) AND database IN (",
                  rows.n == 1 && rows.rows[0].n == 1 ? rows.rows[0].fields[0] : "0");
    tsv_free(&rows);
    plan_databases(x->plan, &sql);
    strbuf_puts(&sql, ") GROUP BY database, table ORDER BY database, table FORMAT TabSeparated");
    int64_t start = now_ms();
    int rc = 0;
    for (;;) {
        if (conn_select(x->conn, sql.s, &rows, res) != 0) {
            rc = -1;
            break;
        }
        transport_result_free(res);
        if (rows.n == 0)
            break;
        if (now_ms() - start > x->ddl_timeout_ms || (x->stop && *x->stop)) {
            StrBuf why = {0};
            strbuf_printf(&why, "after %ld s (--ddl-timeout), the connected host still had parts written on "
                          "other hosts to fetch (", (long)((now_ms() - start) / 1000));
            for (size_t r = 0; r < rows.n; r++)
                if (rows.rows[r].n == 3)
                    strbuf_printf(&why, "%s%s.%s: %s", r ? "; " : "", rows.rows[r].fields[0],
                                  rows.rows[r].fields[1], rows.rows[r].fields[2]);
            strbuf_puts(&why, " in system.replication_queue), and the fill reads its copy of the source");
            *res = (TransportResult){.cls = TR_PERMANENT, .message = strbuf_take(&why)};
            rc = -1;
            tsv_free(&rows);
            break;
        }
        tsv_free(&rows);
        conn_sleep(x->conn, POLL_MS);
    }
    strbuf_free(&sql);
    return rc;
}
