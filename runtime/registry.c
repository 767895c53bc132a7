/* registry: see registry.h.
 *
 * The history table's engine is MergeTree (ReplicatedMergeTree ON CLUSTER
 * with `@option cluster`, so that every replica holds it). Each INSERT
 * writes a new part into a temporary directory and renames it into place
 * when it is complete: a full disk or a crash mid-write leaves the table
 * as it was, never half a part. StripeLog, which earlier versions used
 * because one row cost 0.75 ms against MergeTree's 3 to 25 ms on 18.16,
 * appends to one data file and its index: a write cut short by a full disk
 * left that file unreadable ("Checksum doesn't match", found by an attack
 * on a 40 MB tmpfs), and every later run failed. The cost of a record is
 * hidden anyway: it is written on a second connection while the next step
 * runs (recorder.c). An existing StripeLog history is copied into a
 * MergeTree one, under the lock (registry_migrate). */
#include "registry.h"

#include "hosts.h"
#include "sqlquote.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void on_cluster(const Registry *r, StrBuf *sql)
{
    if (r->cluster) {
        strbuf_puts(sql, " ON CLUSTER ");
        sql_ident(sql, r->cluster);
    }
}

static void table_name(const Registry *r, StrBuf *sql, const char *table)
{
    sql_qualified(sql, r->db, table);
}

int registry_create_database(Registry *r, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "CREATE DATABASE IF NOT EXISTS ");
    sql_ident(&sql, r->db);
    on_cluster(r, &sql);
    int rc = conn_query_retrying(r->conn, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    return rc;
}

const char registry_history_columns[] =
    "run UInt64, seq UInt64, plan_sha256 String, step UInt32, phase String, action String, "
    "kind String, qname String, statement_sha256 String, state String, outcome String, "
    "who String, started DateTime, duration_ms UInt64, attempts UInt32, error_code Int32, "
    "error String, live_hash String, server_version String, src String";

static void history_engine(const Registry *r, StrBuf *sql)
{
    if (!r->cluster) {
        strbuf_puts(sql, " ENGINE = MergeTree ORDER BY (run, seq)");
        return;
    }
    /* One ZooKeeper path per registry database and shard. */
    StrBuf path = {0};
    strbuf_printf(&path, "/clickhouse/mvd/%s/history/{shard}", r->db);
    strbuf_puts(sql, " ENGINE = ReplicatedMergeTree(");
    sql_string(sql, strbuf_str(&path));
    strbuf_puts(sql, ", '{replica}') ORDER BY (run, seq)");
    strbuf_free(&path);
}

int registry_create_tables(Registry *r, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    table_name(r, &sql, REGISTRY_HISTORY);
    on_cluster(r, &sql);
    strbuf_printf(&sql, " (%s)", registry_history_columns);
    history_engine(r, &sql);
    int rc = conn_query_retrying(r->conn, strbuf_str(&sql), NULL, res);
    if (rc == 0) {
        transport_result_free(res);
        strbuf_clear(&sql);
        strbuf_puts(&sql, "CREATE VIEW IF NOT EXISTS ");
        table_name(r, &sql, REGISTRY_OBJECTS);
        on_cluster(r, &sql);
        strbuf_puts(&sql, " AS SELECT kind, qname, argMax(state, seq) AS state, "
                      "argMax(live_hash, seq) AS live_hash, argMax(run, seq) AS run, "
                      "argMax(started, seq) AS updated FROM ");
        table_name(r, &sql, REGISTRY_HISTORY);
        strbuf_puts(&sql, " WHERE outcome IN ('ok', 'adopted', 'verified') GROUP BY kind, qname");
        rc = conn_query_retrying(r->conn, strbuf_str(&sql), NULL, res);
    }
    strbuf_free(&sql);
    return rc;
}

static void add_string(StrBuf *sql, const char *s)
{
    sql_string(sql, s ? s : "");
    strbuf_puts(sql, ", ");
}

static void add_row(const Registry *r, StrBuf *sql, const HistoryRow *row)
{
    uint64_t seq = (r->run << 32) | row->index;
    strbuf_printf(sql, "(%" PRIu64 ", %" PRIu64 ", ", r->run, seq);
    add_string(sql, r->plan_sha256);
    strbuf_printf(sql, "%u, ", row->step);
    add_string(sql, row->phase);
    add_string(sql, row->action);
    add_string(sql, row->kind);
    add_string(sql, row->qname);
    add_string(sql, row->statement_sha256);
    add_string(sql, row->state);
    add_string(sql, row->outcome);
    add_string(sql, r->who);
    strbuf_printf(sql, "%" PRId64 ", %" PRId64 ", %d, %d, ", row->started,
              row->duration_ms < 0 ? 0 : row->duration_ms, row->attempts, row->error_code);
    add_string(sql, row->error);
    add_string(sql, row->live_hash);
    add_string(sql, r->server_version);
    sql_string(sql, row->src ? row->src : "");
    strbuf_puts(sql, ")");
}

void registry_row_sql(const Registry *r, const HistoryRow *row, StrBuf *sql)
{
    add_row(r, sql, row);
}

void registry_insert_sql(const Registry *r, const HistoryRow *rows, size_t n, StrBuf *sql)
{
    strbuf_puts(sql, "INSERT INTO ");
    table_name(r, sql, REGISTRY_HISTORY);
    strbuf_puts(sql, " VALUES ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(sql, ", ");
        add_row(r, sql, &rows[i]);
    }
}

int registry_record(Registry *r, const HistoryRow *rows, size_t n, TransportResult *res)
{
    if (n == 0) {
        memset(res, 0, sizeof *res);
        res->ok = 1;
        return 0;
    }
    StrBuf sql = {0};
    registry_insert_sql(r, rows, n, &sql);
    /* A duplicate row, should a retry follow an insert that did land, is
     * harmless: the latest row per object decides, and it says the same. */
    int rc = conn_query_retrying(r->conn, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    return rc;
}

/* The history as the state query reads it: every host's together, or the
 * connected server's. */
static void history_source(const Registry *r, int every_host, StrBuf *h)
{
    if (every_host && r->conn->hosts) {
        /* Each replica holds the whole history: rows come once per host,
         * which argMax and max do not mind, and 'p' groups. (Not DISTINCT:
         * 18.16 applies it per host here, and each step came twice, so
         * that the LIMIT held half the steps it says.) */
        strbuf_puts(h, "(SELECT * FROM ");
        hosts_remote_all(r->conn->hosts, r->db, REGISTRY_HISTORY, h);
        strbuf_puts(h, ")");
    } else {
        table_name(r, h, REGISTRY_HISTORY);
    }
}

void registry_state_sql(const Registry *r, int every_host, StrBuf *sql)
{
    StrBuf h = {0};
    history_source(r, every_host, &h);
    const char *H = strbuf_str(&h);
    strbuf_printf(sql, " UNION ALL SELECT 'r', kind, qname, argMax(state, seq), argMax(live_hash, seq), "
                   "argMax(server_version, seq) FROM %s WHERE outcome IN ('ok', 'adopted', "
                   "'verified') GROUP BY kind, qname", H);
    /* One pass, no subquery: whether the last run ended and whether it
     * has a step that timed out tell whether registry_pending_sql is
     * needed (on a cluster each history read through remote() costs a
     * connection to every other host). */
    strbuf_printf(sql, " UNION ALL SELECT 'm', toString(max(run)), toString(maxIf(run, outcome = 'end')), "
                   "toString(maxIf(run, outcome = 'failed' AND error_code = %d)), '', '' FROM %s",
                   CONN_CODE_DDL_TIMEOUT, H);
    strbuf_free(&h);
}

int registry_pending_needed(uint64_t last_run, uint64_t ended_run, uint64_t timed_out_run)
{
    return last_run > 0 && (ended_run != last_run || timed_out_run == last_run);
}

void registry_pending_sql(const Registry *r, int every_host, uint64_t run, StrBuf *sql)
{
    StrBuf h = {0};
    history_source(r, every_host, &h);
    const char *H = strbuf_str(&h);
    /* Steps run one at a time, each recorded when it ends, while the
     * next ones run (recorder.h): of a run that has no `end` row (it was
     * killed), only its first REGISTRY_PENDING_ONE planned steps without
     * an ending can have run unrecorded; on a cluster, a batch of creates queued
     * together (REGISTRY_PENDING_CLUSTER). So can a step that failed with 159 (an ON
     * CLUSTER statement that timed out waiting for a host): it ran on
     * the hosts that answered, and runs on the others from the DDL queue.
     * On a cluster the reader keeps, of the unrecorded steps, those a
     * batch could have held (state.c). */
    strbuf_printf(sql, "SELECT 'p', kind, qname, state, toString(step), outcome FROM (SELECT "
                   "kind, qname, state, step, outcome FROM %s WHERE run = %" PRIu64 " AND ((outcome = "
                   "'planned' AND step NOT IN (SELECT step FROM %s WHERE run = %" PRIu64 " AND outcome IN "
                   "('ok', 'failed')) AND (SELECT count() FROM %s WHERE run = %" PRIu64 " AND outcome = "
                   "'end') = 0) OR (outcome = 'failed' AND error_code = %d)) GROUP BY kind, qname, state, step, outcome "
                   "ORDER BY step LIMIT %d)",
                   H, run, H, run, H, run, CONN_CODE_DDL_TIMEOUT,
                   r->conn->hosts ? REGISTRY_PENDING_CLUSTER
                   : r->inline_records ? REGISTRY_PENDING_INLINE : REGISTRY_PENDING_ONE);
    strbuf_free(&h);
}

int registry_needs_migration(const char *engine)
{
    return engine && (strcmp(engine, "StripeLog") == 0 || strcmp(engine, "Log") == 0
                      || strcmp(engine, "TinyLog") == 0);
}

static int run_sql(Registry *r, StrBuf *sql, TransportResult *res)
{
    int rc = conn_query_retrying(r->conn, strbuf_str(sql), NULL, res);
    strbuf_clear(sql);
    if (rc == 0)
        transport_result_free(res);
    return rc;
}

/* Copies history into a new MergeTree table and swaps the two names in one
 * RENAME: killed before the RENAME, the next run starts the copy afresh
 * (the half-made copy is dropped first); after it, history is the copy,
 * and the old table stays as history_stripelog. */
int registry_migrate(Registry *r, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    table_name(r, &sql, REGISTRY_HISTORY_NEW);
    int rc = run_sql(r, &sql, res);
    if (rc == 0) {
        strbuf_puts(&sql, "CREATE TABLE ");
        table_name(r, &sql, REGISTRY_HISTORY_NEW);
        strbuf_printf(&sql, " (%s)", registry_history_columns);
        history_engine(r, &sql);
        rc = run_sql(r, &sql, res);
    }
    if (rc == 0) {
        strbuf_puts(&sql, "INSERT INTO ");
        table_name(r, &sql, REGISTRY_HISTORY_NEW);
        strbuf_puts(&sql, " SELECT * FROM ");
        table_name(r, &sql, REGISTRY_HISTORY);
        rc = run_sql(r, &sql, res);
    }
    if (rc == 0) {
        strbuf_puts(&sql, "RENAME TABLE ");
        table_name(r, &sql, REGISTRY_HISTORY);
        strbuf_puts(&sql, " TO ");
        table_name(r, &sql, REGISTRY_HISTORY_OLD);
        strbuf_puts(&sql, ", ");
        table_name(r, &sql, REGISTRY_HISTORY_NEW);
        strbuf_puts(&sql, " TO ");
        table_name(r, &sql, REGISTRY_HISTORY);
        rc = run_sql(r, &sql, res);
    }
    strbuf_free(&sql);
    return rc;
}
