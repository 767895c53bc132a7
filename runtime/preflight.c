/* Pre-flight: before a run removes anything, make sure that what it will
 * create in its place can be created.
 *
 * The failure this prevents: a plan drops an MV, then the server refuses
 * the new CREATE (a function the server lacks, an alias the server reads
 * otherwise than mvdc did). The MV stays missing, and every row inserted
 * until a fixed plan ships never reaches its target. So,
 * when the steps to run include one that drops a view or MV, empties a
 * table, is destructive or opens a gap (window), every SELECT that a view
 * or MV step of the run will send (the step's select=) is first described
 * with `DESC (SELECT ...)`. The server analyses the query (names, types,
 * functions) and creates nothing; it has done so since before 18.16
 * (tried there and on 26.5), where EXPLAIN came only in 20.6. (The
 * server's version against `option clickhouse` is mvrun's first request,
 * before anything else.)
 * A SELECT that reads a table or column which an earlier step of the same
 * run creates or alters cannot be described before that step: such a
 * failure is reported as a note, and the CREATE is then the check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preflight.h"
#include "sqlquote.h"
#include "tsv.h"
#include "strbuf.h"
#include "xalloc.h"

/* "26.5.1.1" or "18.16" -> major * 1000 + minor; -1 if unreadable. */
static long version_number(const char *v)
{
    int major, minor;
    if (!v || sscanf(v, "%d.%d", &major, &minor) != 2 || major < 0 || minor < 0)
        return -1;
    return (long)major * 1000 + minor;
}

static int is_view_kind(ObjectKind k)
{
    return k == KIND_VIEW || k == KIND_MATERIALIZED_VIEW;
}

/* Whether a step removes something: after it, a failure later in the run
 * leaves less than there was. */
static int removes(const PlanStep *s)
{
    return s->destructive || s->window || strcmp(s->action, "truncate") == 0
           || (strcmp(s->action, "drop") == 0 && is_view_kind(s->kind));
}

/* Whether a step changes what a later SELECT can see. */
static int changes_tables(const PlanStep *s)
{
    return s->kind == KIND_TABLE || s->kind == KIND_DATABASE || s->kind == KIND_FUNCTION
           || (is_view_kind(s->kind) && strcmp(s->action, "create") == 0)
           || strcmp(s->action, "replace") == 0;
}

/* DESC (SELECT ...) for step i; 0 when the server described it. */
static int describe(const PlanStep *s, Conn *conn, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "DESC (");
    strbuf_add(&sql, s->sql + s->select_at, s->sql_len - s->select_at);
    strbuf_puts(&sql, ")");
    int rc = conn_query_n(conn, sql.s, sql.len, NULL, res);
    strbuf_free(&sql);
    return rc;
}

static int check_selects(const Plan *plan, const Judgement *j, Conn *conn, Report *report)
{
    int needed = 0, earlier_changes = 0, failed = 0;
    for (size_t i = 0; i < plan->n_steps; i++)
        needed |= j->steps[i].run && removes(&plan->steps[i]);
    if (!needed)
        return 0;
    StrBuf why = {0};
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (!j->steps[i].run)
            continue;
        if (s->select_at) {
            TransportResult res;
            if (describe(s, conn, &res) != 0) {
                const char *msg = res.message ? res.message : "no message";
                if (earlier_changes && res.cls != TR_CONNECT && res.cls != TR_AUTH) {
                    report_note(report, "step %u (%s %s %s): its SELECT could not be checked before the "
                                "steps it depends on have run: %s", s->number, s->action,
                                plan_kind_name(s->kind), s->name.text, msg);
                } else {
                    strbuf_printf(&why, "\n  step %u: %s %s %s (%s): code %d: %s", s->number, s->action,
                                  plan_kind_name(s->kind), s->name.text, s->src, res.code, msg);
                    failed++;
                }
            }
            transport_result_free(&res);
        }
        earlier_changes |= changes_tables(s);
    }
    if (failed)
        report_fail(report, EXIT_STEP_FAILED, "the server refuses %s this run would create, so nothing "
                    "was dropped or run:%s\n  Fix the sources, build the plan again and run it.",
                    failed == 1 ? "a query" : "queries", strbuf_str(&why));
    strbuf_free(&why);
    return failed ? -1 : 0;
}

int preflight(const Plan *plan, const Judgement *j, Conn *conn, Report *report)
{
    return check_selects(plan, j, conn, report);
}

/* EXPLAIN ESTIMATE answers database, table, parts, rows, marks per table
 * read: the rows of every table the fill reads, summed. */
static long long estimate_rows(const PlanStep *s, Conn *conn)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "EXPLAIN ESTIMATE ");
    strbuf_add(&sql, s->sql + s->select_at, s->sql_len - s->select_at);
    TransportResult res;
    long long rows = -1;
    if (conn_query_n(conn, sql.s, sql.len, NULL, &res) == 0) {
        rows = 0;
        for (const char *line = res.body; line && *line;) {
            const char *f = line;
            for (int tabs = 0; tabs < 3 && f; tabs++)
                f = strchr(f, '\t') ? strchr(f, '\t') + 1 : NULL;
            if (f)
                rows += strtoll(f, NULL, 10);
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
    }
    transport_result_free(&res);
    strbuf_free(&sql);
    return rows;
}

/* A chunked fill reads its source whole, one partition at a time; its
 * statement names one chunk only (the registry's), so EXPLAIN ESTIMATE
 * cannot tell: the source's rows, from system.parts. */
static long long source_rows(const PlanStep *s, Conn *conn)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT sum(rows) FROM system.parts WHERE active AND database = ");
    sql_string(&sql, s->chunks.db);
    strbuf_puts(&sql, " AND table = ");
    sql_string(&sql, s->chunks.name);
    Tsv t = {0};
    TransportResult res;
    long long rows = -1;
    if (conn_select(conn, sql.s, &t, &res) == 0 && t.n == 1 && t.rows[0].n == 1)
        rows = strtoll(t.rows[0].fields[0], NULL, 10);
    tsv_free(&t);
    transport_result_free(&res);
    strbuf_free(&sql);
    return rows;
}

void preflight_estimate(const Plan *plan, const Judgement *j, const LiveState *live, Conn *conn,
                        Report *report)
{
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (!j->steps[i].run || !s->select_at || strcmp(s->action, "backfill") != 0)
            continue;
        if (s->chunks.text)
            report->steps[i].rows_to_read = source_rows(s, conn);
        else if (version_number(live->server_version) >= 21009)
            report->steps[i].rows_to_read = estimate_rows(s, conn);
    }
}
