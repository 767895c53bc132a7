/* execute: see execute.h.
 *
 * Retries: only what can succeed later is tried again (TR_TRANSIENT,
 * TR_CONNECT; and 216, the same query_id still running from an attempt
 * whose answer was lost), with exponential backoff and jitter, bounded in
 * attempts and in total time (conn.h's RetryPolicy). A transient failure
 * may have come after the server ran the statement (a timeout, a dropped
 * connection), so before trying again mvrun reads the object's state and
 * counts the step as done when it has landed. Every statement is
 * idempotent anyway (docs/plan-format.md), so sending it again when that
 * cannot be told is harmless. The query_id is the plan's hash and the
 * step's number: the same on every attempt, so that the server refuses a
 * second copy while the first still runs (216). */
#include "execute.h"

#include "state.h"
#include "strbuf.h"
#include "xalloc.h"
#include "tsv.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_QUERY_ID_RUNNING 216

/* ---- Registry rows -------------------------------------------------------------- */

static void step_row(const PlanStep *s, const char *outcome, HistoryRow *row)
{
    memset(row, 0, sizeof *row);
    row->outcome = outcome;
    row->index = s->number;
    row->step = s->number;
    row->phase = s->phase == PHASE_TEARDOWN ? "teardown" : "setup";
    row->action = s->action;
    row->kind = plan_kind_name(s->kind);
    row->qname = s->name.key;
    row->statement_sha256 = s->sha256;
    row->state = s->sets.s;
    row->src = s->src;
    row->started = (int64_t)time(NULL);
}

/* One INSERT before anything runs: the states the judgement recognised
 * (so that a later run need not recognise them again), and the steps
 * about to run (so that a later run knows what this one was doing if it
 * is killed). */
static int record_start(Execution *x, TransportResult *res)
{
    const Judgement *j = x->judgement;
    memset(res, 0, sizeof *res);
    HistoryRow *rows = xcalloc(j->n_objects + x->plan->n_steps + 1, sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < j->n_objects; i++) {
        const JudgedObject *o = &j->objects[i];
        if (!o->record)
            continue;
        HistoryRow *row = &rows[n++];
        row->outcome = "adopted";
        row->index = REGISTRY_INDEX_FIRST;
        row->kind = plan_kind_name(o->kind);
        row->qname = o->name->key;
        row->state = o->state.s;
        row->live_hash = o->live_hash;
        row->error = o->note;      /* how it was recognised */
        row->started = (int64_t)time(NULL);
    }
    for (size_t i = 0; i < x->plan->n_steps; i++)
        if (j->steps[i].run)
            step_row(&x->plan->steps[i], "planned", &rows[n++]);
    int rc = 0;
    if (n) {
        rc = registry_record(x->reg, rows, n, res);
        x->started = 1;
    }
    free(rows);
    return rc;
}

static void end_of_step_row(const PlanStep *s, const StepReport *sr, HistoryRow *row)
{
    step_row(s, sr->result == STEP_OK ? "ok" : "failed", row);
    row->started = (int64_t)time(NULL) - sr->ms / 1000;
    row->duration_ms = sr->ms;
    row->attempts = sr->attempts;
    row->error_code = sr->code;
    row->error = sr->error;
}

/* Waits for the record in flight, if any. Returns 0, or -1 after
 * report_fail when it could not be written. */
static int settle_record(Execution *x)
{
    if (!x->recording)
        return 0;
    TransportResult res;
    int rc = recorder_wait(x->recorder, &res);
    if (rc != 0)
        report_fail(x->report, res.cls == TR_CONNECT || res.cls == TR_AUTH ? EXIT_CONNECT
                    : EXIT_STEP_FAILED, "step %u ran, but the registry could not record it (%s); "
                    "the next run recognises what it did", x->recording,
                    res.message ? res.message : "no message");
    transport_result_free(&res);
    x->recording = 0;
    return rc;
}

/* Records a step that ended. With a recorder, a success is handed to it
 * and this returns at once (after the previous record, which must have
 * been written); a failure, and every record without a recorder, is
 * written before this returns. Returns 0, or -1 after report_fail. */
static int record_end_of_step(Execution *x, const PlanStep *s, const StepReport *sr)
{
    HistoryRow row;
    end_of_step_row(s, sr, &row);
    if (x->recorder && sr->result == STEP_OK) {
        StrBuf sql = {0};
        registry_insert_sql(x->reg, &row, 1, &sql);
        TransportResult prev;
        unsigned previous = x->recording;
        int rc = recorder_submit(x->recorder, strbuf_take(&sql), &prev);
        x->recording = rc == 0 ? s->number : 0;
        if (rc != 0)
            report_fail(x->report, prev.cls == TR_CONNECT || prev.cls == TR_AUTH ? EXIT_CONNECT
                        : EXIT_STEP_FAILED, "step %u ran, but the registry could not record it "
                        "(%s); the next run recognises what it did", previous,
                        prev.message ? prev.message : "no message");
        transport_result_free(&prev);
        return rc;
    }
    if (settle_record(x) != 0)
        return -1;
    TransportResult res;
    int rc = registry_record(x->reg, &row, 1, &res);
    if (rc != 0 && sr->result == STEP_OK)
        report_fail(x->report, res.cls == TR_CONNECT || res.cls == TR_AUTH ? EXIT_CONNECT
                    : EXIT_STEP_FAILED, "step %u ran, but the registry could not record it (%s); "
                    "the next run recognises what it did", s->number,
                    res.message ? res.message : "no message");
    transport_result_free(&res);
    return rc;
}

/* ---- One step ------------------------------------------------------------------- */

/* With ON CLUSTER, one row per host: host, port, status, error, ... A
 * status other than 0 is a host that failed. */
static int hosts_failed(const char *body, size_t len, StrBuf *why)
{
    Tsv t;
    if (!body || tsv_parse(body, len, &t) != 0)
        return 0;
    int failed = 0;
    for (size_t i = 0; i < t.n; i++) {
        char **f = t.rows[i].fields;
        if (t.rows[i].n < 4 || !f[2][0] || strspn(f[2], "-0123456789") != strlen(f[2])
            || strcmp(f[2], "0") == 0)
            continue;
        strbuf_printf(why, "%shost %s:%s failed (status %s): %s", failed ? "; " : "", f[0], f[1], f[2],
                  f[3]);
        failed = 1;
    }
    tsv_free(&t);
    return failed;
}

static void step_failed(StepReport *sr, const TransportResult *res, const char *prefix)
{
    StrBuf b = {0};
    if (prefix)
        strbuf_puts(&b, prefix);
    strbuf_puts(&b, res->message ? res->message : "no message");
    free(sr->error);
    sr->error = strbuf_take(&b);
    sr->code = res->code;
    sr->result = STEP_FAILED;
}

/* After a failure that may have come after the statement ran: has the
 * object reached the step's state? */
static int landed(Execution *x, const PlanStep *s)
{
    LiveState live;
    TransportResult res;
    if (state_read_object(x->conn, s->kind, &s->name, &live, &res) != 0) {
        transport_result_free(&res);
        return 0;
    }
    int yes = judge_step_landed(x->plan, &live, s);
    state_free(&live);
    return yes;
}

/* Runs s until it succeeds, fails for good or runs out of attempts.
 * Returns 0, or the class of the last failure. */
static TransportClass run_step(Execution *x, const PlanStep *s, StepReport *sr)
{
    char query_id[96];
    snprintf(query_id, sizeof query_id, "mvd-%.16s-%u", x->plan->sha256, s->number);
    const RetryPolicy *policy = &x->conn->retry;
    int64_t start = now_ms();
    for (int attempt = 1;; attempt++) {
        TransportResult res;
        sr->attempts = attempt;
        conn_query_n(x->conn, s->sql, s->sql_len, query_id, &res);
        sr->ms = now_ms() - start;
        if (res.ok) {
            StrBuf why = {0};
            int bad_host = x->plan->cluster && hosts_failed(res.body, res.body_len, &why);
            transport_result_free(&res);
            if (!bad_host) {
                strbuf_free(&why);
                sr->result = STEP_OK;
                return TR_OK;
            }
            sr->result = STEP_FAILED;
            sr->error = strbuf_take(&why);
            return TR_PERMANENT;
        }
        TransportClass cls = res.code == CODE_QUERY_ID_RUNNING ? TR_TRANSIENT : res.cls;
        if ((cls != TR_TRANSIENT && cls != TR_CONNECT) || res.final) {
            step_failed(sr, &res, NULL);
            transport_result_free(&res);
            return cls;
        }
        long delay = retry_delay_ms(x->conn, attempt + 1);
        if (attempt >= policy->max_attempts || sr->ms + delay > policy->total_ms
            || (x->stop && *x->stop)) {
            char prefix[160];
            snprintf(prefix, sizeof prefix, "gave up after %d attempt%s in %.1f s; the last: ",
                     attempt, attempt == 1 ? "" : "s", (double)sr->ms / 1000.0);
            step_failed(sr, &res, prefix);
            transport_result_free(&res);
            return cls;
        }
        report_step_retry(x->report, s, attempt + 1, delay, res.message);
        int may_have_run = cls == TR_TRANSIENT;
        transport_result_free(&res);
        conn_sleep(x->conn, delay);
        if (may_have_run && landed(x, s)) {
            sr->ms = now_ms() - start;
            sr->result = STEP_OK;
            sr->note = xstrdup("the server had applied it; its answer was lost");
            return TR_OK;
        }
    }
}

/* ---- The plan ------------------------------------------------------------------- */

static int exit_for(TransportClass cls)
{
    return cls == TR_CONNECT || cls == TR_AUTH ? EXIT_CONNECT : EXIT_STEP_FAILED;
}

static void mark_rest(Execution *x, size_t from)
{
    for (size_t i = from; i < x->plan->n_steps; i++)
        if (x->judgement->steps[i].run && x->report->steps[i].result == STEP_SKIPPED)
            x->report->steps[i].result = STEP_NOT_REACHED;
}

/* Runs step i; returns 0 to go on. */
static int execute_step(Execution *x, size_t i)
{
    const PlanStep *s = &x->plan->steps[i];
    StepReport *sr = &x->report->steps[i];
    if (s->window)
        report_note(x->report, "step %u removes %s until step %u makes it again: rows inserted "
                    "meanwhile are not seen by it (the plan declares this window)",
                    s->number, s->name.text, s->window);
    report_step_begin(x->report, s);
    TransportClass cls = run_step(x, s, sr);
    report_step_end(x->report, s);
    if (x->fault_step == s->number && !x->fault_after_record)
        raise(SIGKILL);
    if (cls != TR_OK) {
        x->report->failed_step = (int)s->number;
        report_fail(x->report, exit_for(cls), "step %u failed", s->number);
        record_end_of_step(x, s, sr);       /* best effort: the run stops anyway */
        return -1;
    }
    if (record_end_of_step(x, s, sr) != 0)
        return -1;
    if (x->fault_step == s->number && x->fault_after_record) {
        settle_record(x);
        raise(SIGKILL);
    }
    return 0;
}

int execute_plan(Execution *x)
{
    TransportResult res;
    if (record_start(x, &res) != 0) {
        report_fail(x->report, exit_for(res.cls), "cannot write to the registry: %s",
                    res.message ? res.message : "no message");
        transport_result_free(&res);
        mark_rest(x, 0);
        return -1;
    }
    transport_result_free(&res);
    for (size_t i = 0; i < x->plan->n_steps; i++) {
        if (!x->judgement->steps[i].run)
            continue;
        if (x->stop && *x->stop) {
            settle_record(x);
            report_fail(x->report, EXIT_STEP_FAILED, "interrupted before step %u; run the same "
                        "command again to resume", x->plan->steps[i].number);
            mark_rest(x, i);
            return -1;
        }
        if (execute_step(x, i) != 0) {
            settle_record(x);
            mark_rest(x, i + 1);
            return -1;
        }
    }
    return settle_record(x);
}
