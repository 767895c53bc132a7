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
#include "cutoff.h"
#include "fill.h"
#include "fill_stop.h"
#include "hosts.h"
#include "replica_wait.h"

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

/* A step's end-of-step rows: its own, and after an MV renamed from an
 * old name (from=), the old name's, absent: else the next run would find
 * the registry's MV gone from the server. Both go in one INSERT, so a
 * kill leaves neither or both (a kill before it: judge.c, the pending
 * rename). Returns how many. */
static size_t renamed_rows(const PlanStep *s, const StepReport *sr, HistoryRow rows[2])
{
    end_of_step_row(s, sr, &rows[0]);
    if (!s->from.text || sr->result != STEP_OK)
        return 1;
    rows[1] = rows[0];
    rows[1].qname = s->from.key;
    rows[1].state = "absent";
    return 2;
}

/* After the recorder lost rows: says which steps ran unrecorded. */
static void report_unrecorded(Execution *x, const TransportResult *res, const unsigned steps[2])
{
    StrBuf which = {0};
    if (steps[0] == steps[1])
        strbuf_printf(&which, "step %u ran", steps[0]);
    else
        strbuf_printf(&which, "steps %u to %u ran", steps[0], steps[1]);
    report_fail(x->report, res->cls == TR_CONNECT || res->cls == TR_AUTH ? EXIT_CONNECT
                : EXIT_STEP_FAILED, "%s, but the registry could not record %s (%s); the next run "
                "recognises what %s", strbuf_str(&which), steps[0] == steps[1] ? "it" : "them",
                res->message ? res->message : "no message", steps[0] == steps[1] ? "it did" : "they did");
    strbuf_free(&which);
}

/* Waits until the recorder has written every row handed to it. Returns
 * 0, or -1 after report_fail when it could not. */
static int settle_record(Execution *x)
{
    if (!x->recording)
        return 0;
    TransportResult res;
    unsigned steps[2];
    int rc = recorder_wait(x->recorder, &res, steps);
    if (rc != 0)
        report_unrecorded(x, &res, steps);
    transport_result_free(&res);
    x->recording = 0;
    return rc;
}

/* Records a step that ended. With a recorder, a success is queued and
 * this returns at once (recorder.h; -1 when an earlier row could not be
 * written); a failure, and every record without a recorder, is written
 * before this returns. Returns 0, or -1 after report_fail. */
static int record_end_of_step(Execution *x, const PlanStep *s, const StepReport *sr)
{
    HistoryRow rows[2];
    size_t n = renamed_rows(s, sr, rows);
    if (x->recorder && sr->result == STEP_OK) {
        StrBuf sql = {0};
        for (size_t i = 0; i < n; i++) {
            if (i)
                strbuf_puts(&sql, ", ");     /* one submission: both rows in one INSERT */
            registry_row_sql(x->reg, &rows[i], &sql);
        }
        TransportResult failed;
        unsigned steps[2];
        int rc = recorder_submit(x->recorder, strbuf_take(&sql), s->number, &failed, steps);
        x->recording = rc == 0;
        if (rc != 0)
            report_unrecorded(x, &failed, steps);
        transport_result_free(&failed);
        return rc;
    }
    if (settle_record(x) != 0)
        return -1;
    TransportResult res;
    int rc = registry_record(x->reg, rows, n, &res);
    if (rc != 0 && sr->result == STEP_OK) {
        unsigned steps[2] = {s->number, s->number};
        report_unrecorded(x, &res, steps);
    }
    transport_result_free(&res);
    return rc;
}

/* ---- One step ------------------------------------------------------------------- */

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

/* `MODIFY COLUMN c REMOVE <property>` or `REMOVE TTL`, refused because
 * the property is not there (code 36, "... cannot remove it"): what the
 * step makes is so already. A run killed right after such a statement,
 * before recording it, leaves the table in a state whose columns and
 * types are those of the state before (judge.c cannot tell them apart),
 * and the next run sends the statement again. */
static int removed_already(const PlanStep *s, const TransportResult *res)
{
    static const char remove[] = " REMOVE ";
    int removes = 0;
    for (size_t i = 0; i + sizeof remove - 1 <= s->sql_len && !removes; i++)
        removes = memcmp(s->sql + i, remove, sizeof remove - 1) == 0;
    return removes && res->code == 36 && res->message && strstr(res->message, "cannot remove") &&
           strcmp(s->action, "alter") == 0;
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

/* Which hosts show s landed, into applied and missing (comma-separated).
 * Returns 1 when every host does. */
static int landed_where(const Plan *plan, const LiveState *live, const PlanStep *s, StrBuf *applied,
                        StrBuf *missing)
{
    for (size_t h = 0; h < live->n_hosts; h++) {
        StrBuf *b = judge_step_landed(plan, &live->hosts[h], s) ? applied : missing;
        strbuf_printf(b, "%s%s", b->len ? ", " : "", live->host_names[h]);
    }
    return missing->len == 0;
}

/* An ON CLUSTER statement that waited --ddl-timeout for a host (159):
 * it ran on the hosts that answered, and the DDL queue keeps it for the
 * others. Sending it again would only queue it twice; instead every
 * host's state says where it landed, polled until it has landed on all
 * (a slow host) or the retry budget is spent. A host that does not
 * answer ends the step at once, named. Never counted done from one host. */
static TransportClass after_ddl_timeout(Execution *x, const PlanStep *s, StepReport *sr,
                                        int64_t start)
{
    for (;;) {
        LiveState live;
        TransportResult res;
        StrBuf why = {0}, applied = {0}, missing = {0};
        int read = state_read_object(x->conn, s->kind, &s->name, &live, &res) == 0;
        int all = read && landed_where(x->plan, &live, s, &applied, &missing), over = 1;
        sr->ms = now_ms() - start;
        if (read)
            state_free(&live);
        if (all) {
            sr->result = STEP_OK;
            sr->note = xstrdup("its answer timed out waiting for a host, but every host shows it "
                               "applied");
        } else if (!read || sr->ms + 1000 > x->conn->retry.total_ms || (x->stop && *x->stop)) {
            strbuf_printf(&why, "the statement waited %ld s (--ddl-timeout) for every host of the "
                                "cluster and timed out (code 159); ", x->ddl_timeout_ms / 1000);
            if (read)
                strbuf_printf(&why, "applied on %s; not on %s. ", applied.len ? strbuf_str(&applied)
                              : "no host", strbuf_str(&missing));
            else
                strbuf_printf(&why, "%s. The hosts that answered ran it; ",
                              res.message ? res.message : "no message");
            strbuf_puts(&why, "A host that is down runs it from the DDL queue when it returns. "
                              "Run the same command again once every host answers: it checks "
                              "every host and goes on from there");
            free(sr->error);
            sr->error = strbuf_take(&why);
            sr->code = CONN_CODE_DDL_TIMEOUT;
            sr->result = STEP_FAILED;
        } else {
            over = 0;           /* every host answers; one has not run it yet */
        }
        if (!read)
            transport_result_free(&res);
        strbuf_free(&applied);
        strbuf_free(&missing);
        if (over)
            return sr->result == STEP_OK ? TR_OK : TR_PERMANENT;
        conn_sleep(x->conn, 1000);
    }
}

/* A truncate ON CLUSTER that timed out (159). Unlike a create or a drop,
 * whether it emptied each host's copy of the target does not show in the
 * hosts' state (the MV is absent either way), so it is never counted
 * done: the fill after it would add to rows it may not have removed. On
 * 18.16 a Replicated target's TRUNCATE can also block for good on the
 * replica that leads it (replica_wait.h); that host then needs a restart,
 * which no statement of mvrun can do. */
static TransportClass truncate_timed_out(Execution *x, const PlanStep *s, StepReport *sr)
{
    StrBuf why = {0};
    strbuf_printf(&why, "the TRUNCATE waited %ld s (--ddl-timeout) for every host of the cluster and timed "
                        "out (code 159): whether each host's %s was emptied cannot be told, so the fill "
                        "did not run. A host that is down empties it from the DDL queue when it returns. "
                        "On 18.16, a TRUNCATE of a Replicated table that never ends on a host (it shows in "
                        "that host's system.processes; KILL QUERY does not stop it, and reads of the table "
                        "there wait too) is blocked for good: restart that host's server. Then run the same "
                        "command again: the MV is still absent, so it empties the target and fills it again",
                  x->ddl_timeout_ms / 1000, s->target.text ? s->target.text : "target");
    free(sr->error);
    sr->error = strbuf_take(&why);
    sr->code = CONN_CODE_DDL_TIMEOUT;
    sr->result = STEP_FAILED;
    return TR_PERMANENT;
}

/* A backfill step whose fill is one statement (not chunk by chunk). */
static int whole_fill(const PlanStep *s)
{
    return strcmp(s->action, "backfill") == 0 && !s->chunks.text;
}

/* The step's statement; a backfill step is watched while it runs and
 * reports what it read (progress.h). */
static void send_step(Execution *x, const PlanStep *s, StepReport *sr, const char *query_id,
                      TransportResult *res)
{
    if (strcmp(s->action, "backfill") != 0) {
        conn_query_n(x->conn, s->sql, s->sql_len, query_id, res);
        return;
    }
    if (s->chunks.text) {
        fill_run(x, s, sr, res);
        return;
    }
    Progress *p = NULL;
    if (x->watch) {
        char *prefix = report_step_prefix(x->report, s);
        p = progress_start(x->watch, query_id, prefix, x->tty);
        free(prefix);
    }
    conn_query_n(x->conn, s->sql, s->sql_len, query_id, res);
    FillCounts seen;
    x->watch_requests += progress_stop(p, &seen);
    progress_final(res, &seen, &sr->fill);
}

/* Runs s until it succeeds, fails for good or runs out of attempts.
 * Returns 0, or the class of the last failure. */
static TransportClass run_step(Execution *x, const PlanStep *s, StepReport *sr)
{
    char query_id[FILL_QUERY_ID_MAX];
    snprintf(query_id, sizeof query_id, "mvd-%.16s-%u", x->plan->sha256, s->number);
    if (whole_fill(s))      /* named by its target, so that a later run can stop it (fill_stop.h) */
        fill_whole_query_id(x, &s->target, query_id);
    const RetryPolicy *policy = &x->conn->retry;
    int64_t start = now_ms();
    for (int attempt = 1;; attempt++) {
        TransportResult res;
        sr->attempts = attempt;
        send_step(x, s, sr, query_id, &res);
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
        if (conn_ddl_timed_out(x->conn, &res)) {
            transport_result_free(&res);
            return strcmp(s->action, "truncate") == 0 ? truncate_timed_out(x, s, sr)
                                                      : after_ddl_timeout(x, s, sr, start);
        }
        if (removed_already(s, &res)) {
            transport_result_free(&res);
            sr->result = STEP_OK;
            sr->note = xstrdup("already so: the property it removes is not there (a run stopped after sending it)");
            return TR_OK;
        }
        TransportClass cls = res.code == CODE_QUERY_ID_RUNNING ? TR_TRANSIENT : res.cls;
        /* A fill in one statement that may have written part of its rows
         * cannot be sent again (it would write them twice); the next run
         * stops it if it still runs, empties the target and fills it
         * again. A chunked fill resumes. After TR_CONNECT nothing was sent. */
        if ((cls != TR_TRANSIENT && cls != TR_CONNECT) || res.final || (whole_fill(s) && cls == TR_TRANSIENT)) {
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

/* ---- Batches (cluster) ------------------------------------------------------------

   On a cluster each ON CLUSTER statement waits for every host's DDL queue,
   some 120-170 ms on the loopback cluster even for a CREATE VIEW: most of
   it polling. Consecutive steps are therefore queued together, without
   waiting (timeout 0), in plan order: every host runs its queue in that
   order, so a step still finds what an earlier one made. Then every
   host's state is read until each step has landed on every host (never
   from one host's answer). A step that has not landed is run again the
   usual way, one at a time, and that run brings its error, a host's name,
   or a timeout to the report.

   What may go in a batch (batchable, judge_batchable), up to
   REGISTRY_BATCH_MAX steps (a run killed during a batch leaves them
   unrecorded, and the next run reads that many, registry.h):
   - creates, ALTERs and drops, whose landing shows in every host's state
     (judge_landing_visible): a step that changes no column (a comment, a
     TTL) or a view's definition is never seen landing, and runs alone;
   - not a `backfill by` MV's CREATE, which reads the server's clock right
     after it returns (cutoff.c);
   - not destructive: a destructive step runs alone, and only once every
     step before it has landed everywhere, as without batches (a queued
     statement runs whatever happened to the one before it);
   - one step per object: a step's guard was judged on the state the step
     before it on that object leaves, so the second step on an object
     starts the next batch, after the first has landed (a failed ALTER is
     never followed by the next ALTER of that table).
   Steps on other objects that follow a failed one in the same batch did
   run; they are recorded as done, and the run stops at the failed one.
   Since every host runs its queue in order, a step that has not landed
   while a later one has landed everywhere has run everywhere: it failed,
   or a replica has yet to fetch it; after a short grace it runs again
   alone rather than after --ddl-timeout. */

#define BATCH_MAX REGISTRY_BATCH_MAX
#define BATCH_GRACE_MS 2000
#define BATCH_FULL_READ_MS 1000

static int batchable(const Execution *x, size_t i)
{
    const PlanStep *s = &x->plan->steps[i];
    return x->judgement->steps[i].run && s->number != x->fault_step && judge_batchable(x->plan, s);
}

/* Steps from i on that go in one batch, into idx; how many. */
static size_t collect_batch(const Execution *x, size_t i, size_t *idx)
{
    size_t n = 0;
    for (; i < x->plan->n_steps && n < BATCH_MAX; i++) {
        if (!x->judgement->steps[i].run)
            continue;
        if (!batchable(x, i))
            break;
        const PlanStep *s = &x->plan->steps[i];
        for (size_t k = 0; k < n; k++) {
            const PlanStep *t = &x->plan->steps[idx[k]];
            if (plan_same_object(t->kind, &t->name, s->kind, &s->name))
                return n;
        }
        idx[n++] = i;
    }
    return n;
}

static void window_note(Execution *x, const PlanStep *s)
{
    if (s->until.text)
        report_note(x->report, "step %u removes %s and step %u makes %s, which replaces it: rows inserted "
                    "meanwhile reach neither (the plan declares this window)",
                    s->number, s->name.text, s->window, s->until.text);
    else
        report_note(x->report, "step %u removes %s until step %u makes it again: rows inserted "
                    "meanwhile are not seen by it (the plan declares this window)",
                    s->number, s->name.text, s->window);
}

/* Queues the batch's statements; how many were queued. */
static size_t queue_batch(Execution *x, const size_t *idx, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const PlanStep *s = &x->plan->steps[idx[k]];
        if (s->window)
            window_note(x, s);
        char query_id[96];
        snprintf(query_id, sizeof query_id, "mvd-%.16s-%u", x->plan->sha256, s->number);
        TransportResult res;
        int ok = conn_query_n(x->enqueue, s->sql, s->sql_len, query_id, &res) == 0;
        transport_result_free(&res);
        if (!ok)
            return k;
        if (k + 1 == x->fault_queued)
            raise(SIGKILL);
    }
    return n;
}

/* Whether the batch's last step shows on every host, from a read of its
 * name alone (state_hosts_with): 1 yes, 0 not yet, -1 cannot tell this
 * way (an ALTER, a function, a read that failed). */
static int tail_shown(Execution *x, const PlanStep *s)
{
    int absent = strcmp(s->sets.s, "absent") == 0;
    if (!absent && strcmp(s->action, "create") != 0)
        return -1;
    long n = state_hosts_with(x->conn, s->kind, &s->name);
    if (n < 0)
        return -1;
    return absent ? n == 0 : (size_t)n == x->conn->hosts->n;
}

/* Reads every host until each queued step has landed everywhere, or
 * until ddl_timeout_ms without one more landing; done[] says which. With
 * keep (a batch that ends the run), each read has the definitions'
 * hashes, and the one that finds every step landed is kept for the
 * read-back. Every host runs its queue in order, so until the batch's
 * last step shows everywhere the full read (every host's tables and
 * columns, 50 to 100 ms here) would find steps still out: the last
 * step's name alone is read every 20 ms meanwhile, and the full read
 * made once it shows, or every BATCH_FULL_READ_MS to see the batch
 * progress (a batch that takes longer than --ddl-timeout to land is not
 * given up while its steps keep landing). */
static void await_batch(Execution *x, const size_t *idx, size_t n, int *done, int64_t start,
                        ReadbackInput *keep)
{
    size_t landed = 0;
    int64_t last_progress = now_ms(), next_full = last_progress + BATCH_FULL_READ_MS;
    long wait = x->ddl_timeout_ms;
    const PlanStep *tail = &x->plan->steps[idx[n - 1]];
    while (landed < n && now_ms() - last_progress <= wait && !(x->stop && *x->stop)) {
        if (!done[n - 1] && now_ms() < next_full && tail_shown(x, tail) == 0) {
            conn_sleep(x->conn, 20);
            continue;
        }
        next_full = now_ms() + BATCH_FULL_READ_MS;
        LiveState live;
        TransportResult res;
        if ((keep ? state_read(x->conn, x->plan, NULL, &live, &res)
                  : state_read_shapes(x->conn, x->plan, &live, &res)) != 0) {
            transport_result_free(&res);
            return;         /* a host down: the steps run one by one, and say so */
        }
        for (size_t k = 0; k < n; k++) {
            const PlanStep *s = &x->plan->steps[idx[k]];
            if (done[k] || !judge_step_landed(x->plan, &live, s))
                continue;
            StepReport *sr = &x->report->steps[idx[k]];
            done[k] = 1;
            landed++;
            last_progress = now_ms();
            sr->result = STEP_OK;
            sr->attempts = 1;
            sr->ms = now_ms() - start;
            report_step_begin(x->report, s);
            report_step_end(x->report, s);
        }
        if (keep && landed == n) {
            keep->live = live;
            keep->have_live = 1;
        } else {
            state_free(&live);
        }
        /* The batch's last step landed everywhere: every step still out
         * comes before it, and each host has run it (its queue keeps plan
         * order). */
        if (done[n - 1] && landed < n && wait > BATCH_GRACE_MS)
            wait = BATCH_GRACE_MS;
        if (landed < n)
            conn_sleep(x->conn, 50);
    }
}

/* Records the batch's landed steps in one INSERT; with keep holding the
 * read that found them all landed, hands the rows to the read-back
 * instead, which writes them with its own (one INSERT less; killed in
 * between, the next run finds the batch unrecorded, as during it). */
static int record_batch(Execution *x, const size_t *idx, size_t n, const int *done, ReadbackInput *keep)
{
    if (settle_record(x) != 0)
        return -1;
    HistoryRow *rows = xcalloc(n, sizeof *rows);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (done[k])
            end_of_step_row(&x->plan->steps[idx[k]], &x->report->steps[idx[k]], &rows[m++]);
    if (keep && keep->have_live) {
        keep->rows = rows;
        keep->n_rows = m;
        return 0;
    }
    TransportResult res;
    int rc = registry_record(x->reg, rows, m, &res);
    if (rc != 0)
        report_fail(x->report, res.cls == TR_CONNECT || res.cls == TR_AUTH ? EXIT_CONNECT
                    : EXIT_STEP_FAILED, "steps ran, but the registry could not record them (%s); "
                    "the next run recognises what they did", res.message ? res.message : "no message");
    transport_result_free(&res);
    free(rows);
    return rc;
}

static int execute_step(Execution *x, size_t i);

/* No step after step i runs: the batch that ends at i ends the run. */
static int ends_run(const Execution *x, size_t i)
{
    for (size_t k = i + 1; k < x->plan->n_steps; k++)
        if (x->judgement->steps[k].run)
            return 0;
    return 1;
}

/* Runs the batch that starts at step i, if there is one of two steps or
 * more. Returns the index after it (i: no batch), or -1 to stop. */
static long run_batch(Execution *x, size_t i)
{
    size_t idx[BATCH_MAX];
    size_t n = x->enqueue ? collect_batch(x, i, idx) : 0;
    if (n < 2)
        return (long)i;
    int done[BATCH_MAX] = {0};
    if (settle_record(x) != 0)  /* unrecorded: a batch at most (registry.h) */
        return -1;
    int64_t start = now_ms();
    size_t queued = queue_batch(x, idx, n);
    if (queued == 0)
        return (long)i;         /* nothing queued: one at a time, which reports why */
    ReadbackInput *keep = queued == n && ends_run(x, idx[n - 1]) ? x->final : NULL;
    await_batch(x, idx, queued, done, start, keep);
    if (record_batch(x, idx, n, done, keep) != 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (done[k])
            continue;
        if (x->stop && *x->stop)
            return -1;
        if (execute_step(x, idx[k]) != 0)
            return -1;
    }
    return (long)idx[n - 1] + 1;
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

/* A request mvrun makes around a step failed: the step fails with what
 * (what was done, what not, how to resume) before the answer's message;
 * returns the failure's class. */
static TransportClass failed_around_step(StepReport *sr, TransportResult *res, const char *what)
{
    step_failed(sr, res, what);
    TransportClass cls = res->cls == TR_OK ? TR_PERMANENT : res->cls;
    transport_result_free(res);
    return cls;
}

/* Before the truncate step s that precedes the fill `fill`, or before a
 * whole fill that no truncate of this run preceded: a fill of an earlier
 * run into the same target that the server still runs is stopped
 * (fill_stop.h), or its blocks would land after the truncate. Returns 0,
 * or -1 with the step failed and *cls set. */
static int stop_earlier_fill(Execution *x, const PlanStep *s, const PlanStep *fill, StepReport *sr,
                             TransportClass *cls)
{
    TransportResult res;
    if (fill_stop_earlier(x, &s->target, &res) != 0) {
        *cls = failed_around_step(sr, &res, "before the step, stopping a fill of an earlier run that the "
                                            "server may still run (nothing was emptied or filled; run the "
                                            "same command again): ");
        return -1;
    }
    x->fill_stopped = fill;
    return 0;
}

/* A truncate step before its MV's fill: 1 when the target is kept because
 * the chunked fill that follows resumes (fill.c); 0 when the truncate is
 * to be sent; on failure *cls is set. */
static int before_truncate(Execution *x, size_t i, StepReport *sr, TransportClass *cls)
{
    const PlanStep *s = &x->plan->steps[i];
    if (strcmp(s->action, "truncate") != 0)
        return 0;
    const PlanStep *next = plan_fill_after(x->plan, i);
    TransportResult res;
    int rc = fill_before_truncate(x, s, next && next->chunks.text ? next : NULL, &res);
    if (rc < 0) {
        *cls = failed_around_step(sr, &res, "before the step, the registry's fill records: ");
    } else if (rc == 0 && next) {
        transport_result_free(&res);
        rc = stop_earlier_fill(x, s, next, sr, cls);
        if (rc == 0 && replica_wait_idle(x, &s->target, &res) != 0) {
            *cls = failed_around_step(sr, &res, "before the step, waiting for every replica of the target "
                                                "to fetch its parts (nothing was emptied or filled; run the "
                                                "same command again once they have): ");
            rc = -1;
        }
    } else if (rc > 0) {
        sr->result = STEP_OK;
        sr->attempts = 0;
        sr->note = xstrdup("not sent: the fill that follows resumes where it stopped, and the target keeps "
                           "the chunks it has");
    }
    transport_result_free(&res);
    return rc > 0;
}

/* ---- The filtered CREATE of a `backfill by` MV (cutoff.c) --------------------------

   Exact only if the CREATE returned before T: a row inserted between T
   and the MV's existence has COL >= T, which the fill does not read, and
   the MV did not see it. So the server's clock is read right after the
   CREATE; at or past T, the plan's own drop and truncate of this MV run
   again (the MV goes, and with it every row it delivered; the fill's
   rows come later) and the CREATE is made again with a new T. A kill
   anywhere in between leaves the MV absent or filtered, from which the
   next run starts again at the drop (docs/mv-changes.md). */

#define CUTOFF_ATTEMPTS 3

/* Drops the MV s made too late and empties its target, with the plan's
 * own statements (steps drop and truncate). */
static TransportClass cutoff_undo(Execution *x, size_t i, StepReport *sr)
{
    const char *actions[2] = {"drop", "truncate"};
    for (int k = 0; k < 2; k++) {
        const PlanStep *u = cutoff_undo_step(x->plan, i, actions[k]);
        StepReport scratch = {0};
        TransportClass cls = u ? run_step(x, u, &scratch) : TR_PERMANENT;
        if (cls != TR_OK) {
            StrBuf why = {0};
            strbuf_printf(&why, "the CREATE returned after the cutoff it filters on, and undoing it failed "
                               "at the %s of %s (%s); the MV may exist with its filter. Run the same "
                               "command again: it starts again at the drop with a new cutoff",
                               actions[k], x->plan->steps[i].name.text,
                               u ? (scratch.error ? scratch.error : "no message")
                                 : "the plan has no such step before this one");
            free(sr->error);
            sr->error = strbuf_take(&why);
            sr->code = scratch.code;
            sr->result = STEP_FAILED;
        }
        free(scratch.error);
        free(scratch.note);
        if (cls != TR_OK)
            return cls;
    }
    return TR_OK;
}

static TransportClass run_cutoff_create(Execution *x, size_t i, StepReport *sr)
{
    const PlanStep *s = &x->plan->steps[i];
    int64_t start = now_ms();
    for (int attempt = 1;; attempt++) {
        TransportResult res;
        if (cutoff_write(x->plan, s, x->cutoff_margin_s, x->conn, &res) != 0)
            return failed_around_step(sr, &res, "before the step, writing its time cutoff: ");
        transport_result_free(&res);
        if (attempt <= x->fault_slow_cutoff)     /* a CREATE that takes longer than the margin */
            conn_sleep(x->conn, (x->cutoff_margin_s + 1) * 1000);
        TransportClass cls = run_step(x, s, sr);
        if (cls != TR_OK)
            return cls;
        long long cutoff = 0;
        int passed = cutoff_passed(x->plan, s, x->conn, &cutoff, &res);
        sr->ms = now_ms() - start;
        if (passed < 0)
            return failed_around_step(sr, &res, "the MV was made, but the server's clock could not be read "
                                 "after it (is it before the cutoff?); nothing else ran. Run the same "
                                 "command again: it starts again at the drop with a new cutoff. The error: ");
        transport_result_free(&res);
        const PlanStep *fill = passed ? NULL : plan_fill_after(x->plan, i);
        if (fill && fill->chunks.text && fill_cutoff_made(x, fill, cutoff, &res) != 0)
            return failed_around_step(sr, &res, "the MV was made before its cutoff, but the registry could not "
                                 "record it; nothing else ran. Run the same command again: it starts again "
                                 "at the drop with a new cutoff. The error: ");
        transport_result_free(&res);
        if (!passed) {
            if (attempt > 1) {
                StrBuf note = {0};
                strbuf_printf(&note, "made %d times: the CREATE returned after its cutoff %d time%s, and "
                              "mvrun dropped the MV and emptied its target each time", attempt, attempt - 1,
                              attempt == 2 ? "" : "s");
                free(sr->note);
                sr->note = strbuf_take(&note);
            }
            return TR_OK;
        }
        const PlanStep *trunc = cutoff_undo_step(x->plan, i, "truncate");
        report_note(x->report, "step %u: the CREATE of %s returned after its cutoff (a row inserted in "
                    "between would be seen by neither the MV nor its fill): dropping it, emptying %s, "
                    "and making it again with a new cutoff", s->number, s->name.text,
                    trunc && trunc->target.text ? trunc->target.text : "its target");
        cls = cutoff_undo(x, i, sr);
        sr->ms = now_ms() - start;
        if (cls != TR_OK)
            return cls;
        if (attempt == CUTOFF_ATTEMPTS) {
            StrBuf why = {0};
            strbuf_printf(&why, "the CREATE of %s returned after its cutoff %d times: each took longer than "
                               "--cutoff-margin (%ld s), and a row inserted meanwhile would have been seen "
                               "by neither the MV nor its fill. Each time mvrun dropped the MV and emptied "
                               "its target: %s is absent and its target empty; the fill and the MODIFY QUERY "
                               "did not run. Run the same command again, with a larger --cutoff-margin if "
                               "the server is this slow: it starts again at the truncate",
                               s->name.text, attempt, x->cutoff_margin_s, s->name.text);
            free(sr->error);
            sr->error = strbuf_take(&why);
            sr->result = STEP_FAILED;
            return TR_PERMANENT;
        }
    }
}

/* Runs step i; returns 0 to go on. */
static int execute_step(Execution *x, size_t i)
{
    const PlanStep *s = &x->plan->steps[i];
    StepReport *sr = &x->report->steps[i];
    if (s->window)
        window_note(x, s);
    report_step_begin(x->report, s);
    TransportResult cut;
    TransportClass cls = TR_OK;
    if (cutoff_before_fill(x->plan, s, x->cutoff_margin_s, x->conn, x->report, &cut) != 0)
        cls = failed_around_step(sr, &cut, "before the step, its time cutoff: ");
    transport_result_free(&cut);
    int kept = cls == TR_OK ? before_truncate(x, i, sr, &cls) : 0;
    if (cls == TR_OK && whole_fill(s) && x->fill_stopped != s)
        stop_earlier_fill(x, s, s, sr, &cls);
    TransportResult fetched;
    if (cls == TR_OK && whole_fill(s) && replica_wait_fetched(x, &fetched) != 0)
        cls = failed_around_step(sr, &fetched, "before the step, waiting for the connected host to fetch the "
                                               "parts other hosts had written (nothing was filled; the MV is "
                                               "absent: run the same command again, it empties the target "
                                               "and fills it then): ");
    if (cls == TR_OK && !kept)
        cls = s->cutoff && strcmp(s->action, "create") == 0 ? run_cutoff_create(x, i, sr) : run_step(x, s, sr);
    report_step_end(x->report, s);
    if (x->fault_step == s->number && !x->fault_after_record && !x->fault_stop)
        raise(SIGKILL);
    if (cls != TR_OK) {
        x->report->failed_step = (int)s->number;
        report_fail(x->report, exit_for(cls), "step %u failed", s->number);
        record_end_of_step(x, s, sr);       /* best effort: the run stops anyway */
        return -1;
    }
    if (record_end_of_step(x, s, sr) != 0)
        return -1;
    if (x->fault_step == s->number && (x->fault_after_record || x->fault_stop)) {
        settle_record(x);       /* a paused run's rows are written: the test breaks the cluster, not them */
        raise(x->fault_stop ? SIGSTOP : SIGKILL);
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
        long next = run_batch(x, i);
        if (next > (long)i) {
            i = (size_t)next - 1;
            continue;
        }
        if (next < 0 || execute_step(x, i) != 0) {
            settle_record(x);
            if (x->report->exit_code == EXIT_DONE)
                report_fail(x->report, EXIT_STEP_FAILED, "interrupted during step %u; run the "
                            "same command again to resume", x->plan->steps[i].number);
            mark_rest(x, i + 1);
            return -1;
        }
    }
    return settle_record(x);
}
