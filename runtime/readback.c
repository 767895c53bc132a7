/* readback: see readback.h. */
#include "readback.h"

#include "nameindex.h"
#include "state.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The last step of this run that succeeded on each object. */
static size_t touched_objects(const Plan *plan, const Report *report, const PlanStep **last)
{
    NameIndex seen = NAMEINDEX_INIT;
    size_t n = 0;
    for (size_t i = 0; i < plan->n_steps; i++) {
        if (report->steps[i].result != STEP_OK)
            continue;
        const PlanStep *s = &plan->steps[i];
        StrBuf key = {0};
        strbuf_printf(&key, "%s %s", plan_kind_name(s->kind), s->name.key);
        size_t k;
        if (nameindex_get(&seen, strbuf_str(&key), &k)) {
            last[k] = s;
        } else {
            nameindex_put(&seen, strbuf_str(&key), n);
            last[n++] = s;
        }
        strbuf_free(&key);
    }
    nameindex_free(&seen);
    return n;
}

/* Is the object where its last step put it? host: NULL on a single
 * server, else the name of the host that live shows. */
static void check_on(const Plan *plan, const LiveState *live, const char *host, const PlanStep *s,
                     Report *report)
{
    StrBuf diff = {0};
    /* A swap's drop leaves the MV absent in a state of its own (SA). */
    int absent = strcmp(s->sets.s, "absent") == 0 || strcmp(s->action, "drop") == 0;
    int there = s->kind == KIND_DATABASE ? state_has_database(live, s->name.name)
                                         : state_find_object(live, &s->name) != NULL;
    if (absent != !there)
        strbuf_printf(&diff, "it is %s on the server", there ? "still" : "not");
    else if (s->from.text && state_find_object(live, &s->from))
        strbuf_printf(&diff, "%s, which it renamed, is still on the server", s->from.text);
    else if (s->kind == KIND_TABLE && !absent)
        judge_table_is(plan, live, &s->name, s->sets.s, &diff);
    if (diff.len)
        report_fail(report, EXIT_STEP_FAILED, "after step %u, %s %s is not what the plan says it "
                    "would be (sets=%.12s)%s%s: %s. The server and the plan disagree; the registry "
                    "records what the server shows", s->number, plan_kind_name(s->kind),
                    s->name.text, s->sets.s, host ? " on host " : "", host ? host : "",
                    strbuf_str(&diff));
    strbuf_free(&diff);
}

/* With a cluster, on every host, and a view's or MV's definition the same
 * everywhere: a CREATE ... IF NOT EXISTS that found another object on one
 * host answered success there and left it. */
static void check_object(const Plan *plan, const LiveState *live, const PlanStep *s,
                         Report *report)
{
    if (!live->n_hosts) {
        check_on(plan, live, NULL, s, report);
        return;
    }
    const LiveObject *first = NULL;
    for (size_t h = 0; h < live->n_hosts; h++) {
        check_on(plan, &live->hosts[h], live->host_names[h], s, report);
        const LiveObject *o = s->kind == KIND_DATABASE ? NULL
                              : state_find_object(&live->hosts[h], &s->name);
        if (!o || s->kind == KIND_TABLE)
            continue;
        if (!first)
            first = o;
        else if (strcmp(first->live_hash, o->live_hash) != 0)
            report_fail(report, EXIT_STEP_FAILED, "after step %u, %s %s on host %s is not the one "
                        "on host %s (their definitions differ): the statement's IF NOT EXISTS "
                        "kept an object that was there before. Drop it on that host and run "
                        "again", s->number, plan_kind_name(s->kind), s->name.text,
                        live->host_names[h], live->host_names[0]);
    }
}

/* The live hash to record: the first host's on a cluster. */
static const LiveObject *recorded_object(const LiveState *live, const PlanStep *s)
{
    if (s->kind == KIND_DATABASE)
        return NULL;
    return state_find_object(live->n_hosts ? &live->hosts[0] : live, &s->name);
}

void readback_input_free(ReadbackInput *in)
{
    if (in->have_live)
        state_free(&in->live);
    free(in->rows);
    memset(in, 0, sizeof *in);
}

int readback(const Plan *plan, Conn *c, Registry *reg, Report *report, const ReadbackInput *in)
{
    const PlanStep **last = xcalloc(plan->n_steps + 1, sizeof *last);
    size_t n = touched_objects(plan, report, last);
    size_t pre = in ? in->n_rows : 0;
    LiveState read;
    const LiveState *live = n && in && in->have_live ? &in->live : &read;
    TransportResult res;
    int rc = 0;
    if (n && live == &read && state_read(c, plan, NULL, &read, &res) != 0) {
        report_fail(report, res.cls == TR_CONNECT || res.cls == TR_AUTH ? EXIT_CONNECT
                    : EXIT_STEP_FAILED, "cannot read the server back after the run: %s",
                    res.message ? res.message : "no message");
        transport_result_free(&res);
        free(last);
        return -1;
    }
    HistoryRow *all = xcalloc(pre + n + 1, sizeof *all), *rows = all + pre;
    if (pre)
        memcpy(all, in->rows, pre * sizeof *all);
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < n; i++) {
        const PlanStep *s = last[i];
        const LiveObject *o = recorded_object(live, s);
        check_object(plan, live, s, report);
        rows[i].outcome = "verified";
        rows[i].index = REGISTRY_INDEX_VERIFIED;
        rows[i].step = s->number;
        rows[i].kind = plan_kind_name(s->kind);
        rows[i].qname = s->name.key;
        rows[i].state = s->sets.s;
        rows[i].live_hash = o ? o->live_hash : "";
        rows[i].started = now;
    }
    rows[n].outcome = "end";
    rows[n].index = REGISTRY_INDEX_END;
    rows[n].started = now;
    rows[n].error = report->error;
    if (registry_record(reg, all, pre + n + 1, &res) != 0) {
        report_fail(report, res.cls == TR_CONNECT || res.cls == TR_AUTH ? EXIT_CONNECT
                    : EXIT_STEP_FAILED, "cannot record the run's end in the registry: %s",
                    res.message ? res.message : "no message");
        rc = -1;
    }
    transport_result_free(&res);
    free(all);
    if (live == &read && n)
        state_free(&read);
    free(last);
    return rc || report->error ? -1 : 0;
}
