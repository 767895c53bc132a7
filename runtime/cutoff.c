/* The time cutoff of a `backfill by COL` MV (plan steps marked `cutoff`).
 *
 * The plan creates the MV with `WHERE COL >= T`, fills the target with
 * `COL < T`, then MODIFY QUERY takes the filter away. T is not in the plan:
 * both statements read it from <registry>.cutoffs, `max(cutoff)` of the
 * MV's rows, so the plan's bytes and hashes do not depend on the time and
 * the MV and its fill can only ever use the same T. mvrun writes T right
 * before the filtered CREATE runs: the server's now() plus at least a
 * margin. Every row whose COL is at least T must be inserted after the MV
 * exists, so right after the CREATE returns mvrun reads the server's
 * clock: at or past T, a row may have come in between, seen by neither
 * the MV nor the fill, and execute.c drops the MV, empties the target
 * and makes it again with a new T (an insert running across the CREATE
 * is not seen by the MV either: the margin must exceed the longest
 * insert). Before the fill, mvrun waits until the server's clock is past
 * T plus the margin, so that every row with COL below T has been
 * committed and the fill reads it. Exact when COL is the row's ingestion
 * time and never late by more than the margin (a `DEFAULT now()` column;
 * not a time the client sends). */
#include <stdlib.h>
#include <string.h>

#include "cutoff.h"
#include "sqlquote.h"
#include "strbuf.h"
#include "tsv.h"
#include "xalloc.h"

static int reads_cutoff(const Plan *plan, const Judgement *j)
{
    for (size_t i = 0; i < plan->n_steps; i++)
        if (j->steps[i].run && plan->steps[i].cutoff)
            return 1;
    return 0;
}

int cutoff_prepare(const Plan *plan, const Judgement *j, Conn *conn, Report *report)
{
    if (!reads_cutoff(plan, j))
        return 0;
    StrBuf sql = {0};
    strbuf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    sql_ident(&sql, plan->registry);
    strbuf_puts(&sql, ".cutoffs (mv String, cutoff DateTime, written DateTime DEFAULT now()) "
                      "ENGINE = MergeTree ORDER BY mv");
    TransportResult res;
    int rc = conn_query_retrying(conn, sql.s, NULL, &res);
    strbuf_free(&sql);
    if (rc != 0)
        report_fail(report, EXIT_STEP_FAILED, "cannot make the registry's cutoffs table: %s; nothing was run",
                    res.message ? res.message : "no message");
    transport_result_free(&res);
    return rc ? -1 : 0;
}

static void from_cutoffs(StrBuf *sql, const Plan *plan, const PlanStep *s)
{
    strbuf_puts(sql, " FROM ");
    sql_ident(sql, plan->registry);
    strbuf_puts(sql, ".cutoffs WHERE mv = ");
    sql_string(sql, s->name.text);
}

/* Seconds until the server's clock is past T + margin; -1 on failure. */
static long seconds_to_wait(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn,
                            TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_printf(&sql, "SELECT dateDiff('second', now(), max(cutoff)) + %ld", margin_s);
    from_cutoffs(&sql, plan, s);
    Tsv rows = {0};
    long wait = -1;
    if (conn_select(conn, sql.s, &rows, res) == 0 && rows.n == 1 && rows.rows[0].n == 1)
        wait = strtol(rows.rows[0].fields[0], NULL, 10);
    tsv_free(&rows);
    strbuf_free(&sql);
    return wait < 0 && res->ok ? 0 : wait;
}

int cutoff_write(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "INSERT INTO ");
    sql_ident(&sql, plan->registry);
    strbuf_puts(&sql, ".cutoffs (mv, cutoff) SELECT ");
    sql_string(&sql, s->name.text);
    /* now() drops the fraction of the second: + 1 keeps T at least the
     * margin ahead of the write. */
    strbuf_printf(&sql, ", now() + %ld", margin_s + 1);
    int rc = conn_query_retrying(conn, sql.s, NULL, res);
    strbuf_free(&sql);
    return rc;
}

int cutoff_passed(const Plan *plan, const PlanStep *s, Conn *conn, long long *cutoff, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT now() >= max(cutoff), toUnixTimestamp(max(cutoff))");
    from_cutoffs(&sql, plan, s);
    Tsv rows = {0};
    int passed = -1;
    if (conn_select(conn, sql.s, &rows, res) == 0 && rows.n == 1 && rows.rows[0].n == 2) {
        passed = strcmp(rows.rows[0].fields[0], "0") != 0;
        *cutoff = strtoll(rows.rows[0].fields[1], NULL, 10);
    }
    else if (res->ok) {
        transport_result_free(res);
        *res = (TransportResult){.cls = TR_PERMANENT, .message = xstrdup("no answer to the clock's read")};
    }
    tsv_free(&rows);
    strbuf_free(&sql);
    return passed;
}

const PlanStep *cutoff_undo_step(const Plan *plan, size_t i, const char *action)
{
    const PlanStep *s = &plan->steps[i], *found = NULL;
    for (size_t k = 0; k < i; k++) {
        const PlanStep *t = &plan->steps[k];
        if (t->phase == s->phase && strcmp(t->action, action) == 0
            && plan_same_object(t->kind, &t->name, s->kind, &s->name))
            found = t;
    }
    return found;
}

int cutoff_before_fill(const Plan *plan, const PlanStep *s, long margin_s, Conn *conn, Report *report,
                       TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (!s->cutoff || strcmp(s->action, "backfill") != 0)
        return 0;
    for (int round = 0;; round++) {
        transport_result_free(res);
        long wait = seconds_to_wait(plan, s, margin_s, conn, res);
        if (wait < 0)
            return -1;
        if (wait == 0)
            return 0;
        if (round == 0)
            report_note(report, "step %u: waiting %ld s for the server's clock to pass %s's cutoff (and the "
                        "margin), so that the fill reads every row before it", s->number, wait, s->name.text);
        conn_sleep(conn, wait * 1000);
        if (conn->stop && *conn->stop)
            return 0;
    }
}
