/* report: see report.h. */
#include "report.h"

#include "conn.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void report_init(Report *r, const char *command, const Plan *plan, const char *url, int json,
                 int dry_run)
{
    memset(r, 0, sizeof *r);
    r->command = command;
    r->plan = plan;
    r->url = url;
    r->json = json;
    r->dry_run = dry_run;
    r->started_ms = now_ms();
    r->steps = xcalloc(plan->n_steps ? plan->n_steps : 1, sizeof *r->steps);
    for (size_t i = 0; i < plan->n_steps; i++)
        r->steps[i].rows_to_read = -1;
}

void report_free(Report *r)
{
    for (size_t i = 0; r->plan && i < r->plan->n_steps; i++) {
        free(r->steps[i].error);
        free(r->steps[i].note);
    }
    free(r->steps);
    for (size_t i = 0; i < r->n_notes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r->error);
    memset(r, 0, sizeof *r);
}

void report_note(Report *r, const char *fmt, ...)
{
    StrBuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    fprintf(stderr, "mvrun: %s\n", strbuf_str(&b));
    r->notes = xrealloc(r->notes, (r->n_notes + 1) * sizeof *r->notes);
    r->notes[r->n_notes++] = strbuf_take(&b);
}

void report_fail(Report *r, int exit_code, const char *fmt, ...)
{
    if (r->error)
        return;
    StrBuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    r->error = strbuf_take(&b);
    r->exit_code = exit_code;
}

/* ---- Progress ------------------------------------------------------------------ */

static void step_title(const Report *r, const PlanStep *s, FILE *out)
{
    fprintf(out, "[%u/%zu] %s %s %s", s->number, r->plan->n_steps, s->action,
            plan_kind_name(s->kind), s->name.text);
    if (s->from.text)
        fprintf(out, " (from %s)", s->from.text);
}

void report_step_begin(Report *r, const PlanStep *s)
{
    step_title(r, s, stderr);
    fputs(" ... ", stderr);
    fflush(stderr);
}

char *report_step_prefix(const Report *r, const PlanStep *s)
{
    StrBuf b = {0};
    strbuf_printf(&b, "[%u/%zu] %s %s %s", s->number, r->plan->n_steps, s->action,
                  plan_kind_name(s->kind), s->name.text);
    if (s->from.text)
        strbuf_printf(&b, " (from %s)", s->from.text);
    strbuf_puts(&b, " ... ");
    return strbuf_take(&b);
}

/* ` (5.0M rows, 76.3MB read, 12.4M rows/s)` after a fill's `ok 402 ms`. */
static void print_fill(const StepReport *sr, FILE *out)
{
    char rows[16], bytes[16], rate[16];
    if (!sr->fill.known)
        return;
    progress_human(sr->fill.read_rows, rows, sizeof rows);
    progress_human(sr->fill.read_bytes, bytes, sizeof bytes);
    progress_human(sr->ms > 0 ? sr->fill.read_rows * 1000ULL / (unsigned long long)sr->ms : 0,
                   rate, sizeof rate);
    fprintf(out, " (%s%s rows, %sB read, %s rows/s)", sr->fill.final ? "" : "at least ", rows,
            bytes, rate);
}

void report_step_end(Report *r, const PlanStep *s)
{
    const StepReport *sr = &r->steps[s->number - 1];
    if (sr->result == STEP_OK) {
        if (sr->attempts == 0 && sr->note)  /* not sent (fill.c: the fill after it resumes) */
            fputs("kept: the fill resumes", stderr);
        else
            fprintf(stderr, "ok %lld ms%s%s%s", (long long)sr->ms, sr->note ? " (" : "",
                    sr->note ? sr->note : "", sr->note ? ")" : "");
        print_fill(sr, stderr);
        fputc('\n', stderr);
    }
    else if (sr->code)
        fprintf(stderr, "FAILED (code %d)\n", sr->code);
    else
        fputs("FAILED\n", stderr);
}

void report_step_retry(Report *r, const PlanStep *s, int attempt, long delay_ms, const char *why)
{
    fprintf(stderr, "transient failure, attempt %d in %.1f s: %.300s\n", attempt,
            (double)delay_ms / 1000.0, why ? why : "");
    report_step_begin(r, s);
}

/* ---- The human summary ----------------------------------------------------------- */

typedef struct Counts {
    size_t ok, skipped, would_run, failed, not_reached, not_judged;
} Counts;

static Counts count(const Report *r)
{
    Counts c = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < r->plan->n_steps; i++) {
        switch (r->steps[i].result) {
        case STEP_NOT_JUDGED: c.not_judged++; break;
        case STEP_OK: c.ok++; break;
        case STEP_SKIPPED: c.skipped++; break;
        case STEP_WOULD_RUN: c.would_run++; break;
        case STEP_FAILED: c.failed++; break;
        case STEP_NOT_REACHED: c.not_reached++; break;
        }
    }
    return c;
}

/* At most max_lines lines of the statement, each indented. */
static void print_statement(const PlanStep *s, FILE *out)
{
    const int max_lines = 12;
    int lines = 0;
    const char *p = s->sql, *end = s->sql + s->sql_len;
    fputs("  statement: ", out);
    while (p < end && lines < max_lines) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        fprintf(out, "%s%.*s\n", lines ? "             " : "", (int)n, p);
        lines++;
        p = nl ? nl + 1 : end;
    }
    if (p < end)
        fputs("             ... (the rest is in the plan)\n", out);
}

static void print_failed_step(const Report *r, FILE *out)
{
    const PlanStep *s = &r->plan->steps[r->failed_step - 1];
    const StepReport *sr = &r->steps[r->failed_step - 1];
    fprintf(out, "mvrun: step %u failed: %s %s %s%s%s%s\n", s->number, s->action,
            plan_kind_name(s->kind), s->name.text, s->from.text ? " (from " : "",
            s->from.text ? s->from.text : "", s->from.text ? ")" : "");
    fprintf(out, "  source:    %s\n", s->src);
    print_statement(s, out);
    if (sr->code)
        fprintf(out, "  server:    code %d: %s\n", sr->code, sr->error ? sr->error : "");
    else
        fprintf(out, "  error:     %s\n", sr->error ? sr->error : "");
    Counts c = count(r);
    fprintf(out, "  %zu step%s of this run completed and %s recorded. Once the cause is fixed, "
                 "run the same command again: it resumes at step %u.\n",
            c.ok, c.ok == 1 ? "" : "s", c.ok == 1 ? "is" : "are", s->number);
}

static void print_drift(const Report *r, FILE *out)
{
    const Judgement *j = r->judgement;
    fprintf(out, "mvrun: the database has drifted: %zu object%s in a state that no version in "
                 "this plan explains; nothing was run:\n",
            j->n_drift, j->n_drift == 1 ? " is" : "s are");
    for (size_t i = 0; i < j->n_drift; i++) {
        fprintf(out, "  %s: %s\n", j->drift[i].object, j->drift[i].what);
        if (j->drift[i].diff && *j->drift[i].diff)
            fprintf(out, "    what differs, the plan's CREATE (step %u) against the server's:\n%s",
                    j->drift[i].diff_step, j->drift[i].diff);
    }
    int too_old = 0, other = 0;
    for (size_t i = 0; i < j->n_drift; i++) {
        too_old |= j->drift[i].too_old;
        other |= !j->drift[i].too_old;
    }
    if (other)
        fputs("  Put these objects back as mvrun left them (or change the sources to match and "
              "build a new plan), then run again.\n", out);
    if (too_old)
        fputs("  The database is older than this plan can upgrade: apply the older plan named "
              "above first, then run this one again.\n", out);
}

static void print_summary(const Report *r, FILE *out)
{
    Counts c = count(r);
    double secs = (double)(now_ms() - r->started_ms) / 1000.0;
    if (r->failed_step) {
        print_failed_step(r, out);
    } else if (r->judgement && r->judgement->n_drift && r->exit_code == EXIT_DRIFT) {
        print_drift(r, out);
    } else if (r->error) {
        fprintf(out, "mvrun: %s\n", r->error);
    }
    /* One wording per outcome (docs/mvrun.md, "Output"). */
    int nothing_ran = c.ok == 0 && c.failed == 0;
    const char *what = strcmp(r->command, "status") == 0 ? "status"
                       : r->exit_code != EXIT_DONE ? (nothing_ran ? "stopped before any step ran" : "stopped")
                       : r->dry_run ? "dry run" : c.ok ? "done" : "nothing to do";
    fprintf(out, "mvrun: %s: %zu step%s", what, r->plan->n_steps, r->plan->n_steps == 1 ? "" : "s");
    if (c.not_judged) {
        fprintf(out, " not judged; %ld request%s, %.2f s (plan %.12s on %s)\n", r->requests,
                r->requests == 1 ? "" : "s", secs, r->plan->sha256, r->url ? r->url : "?");
        return;
    }
    if (c.ok)
        fprintf(out, ", %zu ran", c.ok);
    if (c.would_run)
        fprintf(out, ", %zu would run", c.would_run);
    if (c.failed)
        fprintf(out, ", %zu failed", c.failed);
    if (c.not_reached)
        fprintf(out, nothing_ran ? ", %zu needed and not run" : ", %zu not reached", c.not_reached);
    fprintf(out, ", %zu already done or not needed; %ld request%s, %.2f s (plan %.12s on %s)\n",
            c.skipped, r->requests, r->requests == 1 ? "" : "s", secs, r->plan->sha256,
            r->url ? r->url : "?");
}

/* --dry-run: every step, would run or skipped and why. */
static void print_listing(const Report *r, FILE *out)
{
    const Judgement *j = r->judgement;
    if (!j)
        return;
    for (size_t i = 0; i < r->plan->n_steps; i++) {
        const PlanStep *s = &r->plan->steps[i];
        /* --sql: a script clickhouse-client could run, each step's line
         * a comment above the statement that would be sent. */
        if (r->print_sql)
            fputs("-- ", out);
        step_title(r, s, out);
        fprintf(out, ": %s, %s%s", j->steps[i].run ? "would run" : "skip", j->steps[i].reason,
                j->steps[i].run && s->destructive ? " (destructive)" : "");
        if (j->steps[i].run && strcmp(s->action, "modify-query") == 0)
            fputs(" (in place, no gap)", out);
        if (j->steps[i].run && strcmp(s->action, "shadow") == 0)
            fputs(" (replaced without a window: the new MV made beside the old one)", out);
        if (j->steps[i].run && strcmp(s->action, "swap") == 0)
            fputs(" (replaced without a window: renamed into place)", out);
        if (j->steps[i].run && s->from.text)
            fprintf(out, " (renamed: no gap; %s's drop is not needed)", s->from.text);
        if (j->steps[i].run && strcmp(s->action, "backfill") == 0 && s->chunks.text)
            fprintf(out, " (backfill by chunks, one partition of %s at a time, resumable: %lld rows to read)",
                    s->chunks.text, r->steps[i].rows_to_read);
        else if (j->steps[i].run && strcmp(s->action, "backfill") == 0 && r->steps[i].rows_to_read >= 0)
            fprintf(out, " (backfill: %lld rows to read)", r->steps[i].rows_to_read);
        else if (j->steps[i].run && strcmp(s->action, "backfill") == 0)
            fputs(" (backfill: rows to read not known: the server has no EXPLAIN ESTIMATE)", out);
        if (j->steps[i].run && s->window && s->until.text)
            fprintf(out, " (gap: %s is dropped here and %s, which replaces it, is created at step %u: rows "
                    "inserted in between reach neither; needs --allow-gap)", s->name.text, s->until.text, s->window);
        else if (j->steps[i].run && s->window)
            fprintf(out, " (gap: %s is missing until step %u; needs --allow-gap)", s->name.text, s->window);
        fputc('\n', out);
        if (r->print_sql && j->steps[i].run)
            fprintf(out, "%.*s;\n\n", (int)s->sql_len, s->sql);
    }
    for (size_t i = 0; i < j->n_objects; i++)
        if (j->objects[i].note)
            fprintf(out, "note: %s %s: %s\n", plan_kind_name(j->objects[i].kind),
                    j->objects[i].name->text, j->objects[i].note);
}

/* status: every object, applied, pending (and which steps would run), or
 * drifted. */
static void print_status(const Report *r, FILE *out)
{
    const Judgement *j = r->judgement;
    if (!j)
        return;
    size_t applied = 0, pending = 0;
    for (size_t i = 0; i < j->n_objects; i++) {
        const JudgedObject *o = &j->objects[i];
        StrBuf steps = {0};
        for (size_t k = 0; k < r->plan->n_steps; k++)
            if (j->steps[k].run && (judge_find(j, r->plan->steps[k].kind, &r->plan->steps[k].name) == o
                                    || (r->plan->steps[k].from.text
                                        && judge_find(j, r->plan->steps[k].kind, &r->plan->steps[k].from) == o)))
                strbuf_printf(&steps, "%s%u", steps.len ? ", " : "", r->plan->steps[k].number);
        char a[16];
        const char *label = o->source == SOURCE_DRIFT ? "drift" : steps.len ? "pending" : "applied";
        fprintf(out, "%-8s %s %s", label, plan_kind_name(o->kind), o->name->text);
        if (o->source != SOURCE_DRIFT)
            fprintf(out, " (%s)", judge_short_state(o->state.s, a));
        if (steps.len)
            fprintf(out, ": step%s %s would run", strchr(strbuf_str(&steps), ',') ? "s" : "",
                    strbuf_str(&steps));
        if (o->note)
            fprintf(out, "; %s", o->note);
        fputc('\n', out);
        applied += o->source != SOURCE_DRIFT && !steps.len;
        pending += o->source != SOURCE_DRIFT && steps.len;
        strbuf_free(&steps);
    }
    fprintf(out, "%zu applied, %zu pending, %zu drifted\n", applied, pending, j->n_drift);
}

/* ---- JSON ------------------------------------------------------------------------ */

/* Always valid JSON: a byte that is not part of valid UTF-8 (a lock
 * holder's $USER, a server message) becomes U+FFFD. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + strlen((const char *)p);
    while (*p) {
        size_t len = utf8_length(p, end);
        if (len == 0) {
            fputs("\\ufffd", out);
            p++;
            continue;
        }
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\u%04x", *p);
        else
            fwrite(p, 1, len, out);
        p += len;
    }
    fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value)
{
    fprintf(out, ",\"%s\":", name);
    json_string(out, value);
}

static const char *result_name(StepResult result)
{
    switch (result) {
    case STEP_NOT_JUDGED: return "not-judged";
    case STEP_SKIPPED: return "skipped";
    case STEP_WOULD_RUN: return "would-run";
    case STEP_OK: return "ok";
    case STEP_FAILED: return "failed";
    case STEP_NOT_REACHED: return "not-reached";
    }
    return "?";
}

static const char *outcome_name(const Report *r)
{
    switch (r->exit_code) {
    case EXIT_DONE:
        return strcmp(r->command, "status") == 0 ? "status"
               : r->dry_run ? "dry-run" : count(r).ok ? "done" : "nothing-to-do";
    case EXIT_STEP_FAILED: return strcmp(r->command, "status") == 0 ? "pending" : "failed";
    case EXIT_USAGE: return "refused";
    case EXIT_DRIFT: return "drift";
    case EXIT_LOCKED: return "locked";
    case EXIT_CONNECT: return "cannot-connect";
    }
    return "?";
}

/* "fill": the seconds, and what the fill read and wrote when known:
 * "counts": "final" (the engine's own) or "last-seen" (polled while it
 * ran: 18.16 reports no final counts). */
static void json_fill(const StepReport *sr, FILE *out)
{
    const FillCounts *c = &sr->fill;
    fprintf(out, ",\"fill\":{\"seconds\":%.3f", (double)sr->ms / 1000.0);
    if (c->known) {
        fprintf(out, ",\"rows_read\":%llu,\"bytes_read\":%llu,\"rows_written\":%llu,"
                     "\"bytes_written\":%llu,\"rows_per_s\":%.0f,\"counts\":\"%s\"",
                c->read_rows, c->read_bytes, c->written_rows, c->written_bytes,
                sr->ms > 0 ? (double)c->read_rows * 1000.0 / (double)sr->ms : 0.0,
                c->final ? "final" : "last-seen");
        if (c->rows_to_read)
            fprintf(out, ",\"rows_to_read\":%llu", c->rows_to_read);
    }
    fputc('}', out);
}

static void json_step(const Report *r, size_t i, FILE *out)
{
    const PlanStep *s = &r->plan->steps[i];
    const StepReport *sr = &r->steps[i];
    fprintf(out, "%s{\"step\":%u", i ? "," : "", s->number);
    json_field(out, "phase", s->phase == PHASE_TEARDOWN ? "teardown" : "setup");
    json_field(out, "action", s->action);
    json_field(out, "kind", plan_kind_name(s->kind));
    json_field(out, "name", s->name.text);
    if (s->from.text)
        json_field(out, "from", s->from.text);
    json_field(out, "src", s->src);
    json_field(out, "result", result_name(sr->result));
    if (r->judgement)
        json_field(out, "reason", r->judgement->steps[i].reason);
    if (sr->result == STEP_OK || sr->result == STEP_FAILED)
        fprintf(out, ",\"ms\":%lld,\"attempts\":%d", (long long)sr->ms, sr->attempts);
    if (sr->code)
        fprintf(out, ",\"error_code\":%d", sr->code);
    if (sr->error)
        json_field(out, "error", sr->error);
    if (sr->note)
        json_field(out, "note", sr->note);
    if (s->destructive)
        fputs(",\"destructive\":true", out);
    if (s->window)
        fprintf(out, ",\"gap_until\":%u", s->window);
    if (s->until.text)
        json_field(out, "until", s->until.text);
    if (sr->rows_to_read >= 0)
        fprintf(out, ",\"rows_to_read\":%lld", sr->rows_to_read);
    if (s->chunks.text)
        json_field(out, "chunks", s->chunks.text);
    if (strcmp(s->action, "backfill") == 0 && sr->result == STEP_OK)
        json_fill(sr, out);
    fputc('}', out);
}

static void print_json(const Report *r, FILE *out)
{
    Counts c = count(r);
    fputs("{\"command\":", out);
    json_string(out, r->command);
    json_field(out, "plan", r->plan->path);
    json_field(out, "plan_sha256", r->plan->sha256);
    json_field(out, "url", r->url);
    json_field(out, "outcome", outcome_name(r));
    fprintf(out, ",\"exit_code\":%d,\"requests\":%ld,\"elapsed_ms\":%lld", r->exit_code,
            r->requests, (long long)(now_ms() - r->started_ms));
    fprintf(out, ",\"steps_total\":%zu,\"steps_ran\":%zu,\"steps_skipped\":%zu,"
                 "\"steps_would_run\":%zu", r->plan->n_steps, c.ok, c.skipped, c.would_run);
    if (r->error)
        json_field(out, "error", r->error);
    if (r->failed_step)
        fprintf(out, ",\"failed_step\":%d", r->failed_step);
    fputs(",\"steps\":[", out);
    for (size_t i = 0; i < r->plan->n_steps; i++)
        json_step(r, i, out);
    fputs("],\"drift\":[", out);
    for (size_t i = 0; r->judgement && i < r->judgement->n_drift; i++) {
        fprintf(out, "%s{\"object\":", i ? "," : "");
        json_string(out, r->judgement->drift[i].object);
        json_field(out, "differences", r->judgement->drift[i].what);
        if (r->judgement->drift[i].too_old)
            fputs(",\"too_old\":true", out);
        if (r->judgement->drift[i].diff && *r->judgement->drift[i].diff)
            json_field(out, "diff", r->judgement->drift[i].diff);
        fputc('}', out);
    }
    fputs("],\"notes\":[", out);
    for (size_t i = 0; i < r->n_notes; i++) {
        if (i)
            fputc(',', out);
        json_string(out, r->notes[i]);
    }
    fputs("]}\n", out);
}

void report_invalid_plan_json(const char *command, const char *path, const char *message)
{
    fputs("{\"command\":", stdout);
    json_string(stdout, command);
    json_field(stdout, "plan", path);
    json_field(stdout, "outcome", "invalid-plan");
    fprintf(stdout, ",\"exit_code\":%d,\"requests\":0", EXIT_USAGE);
    json_field(stdout, "error", message);
    fputs("}\n", stdout);
    fflush(stdout);
}

void report_finish(Report *r)
{
    if (strcmp(r->command, "status") == 0)
        print_status(r, r->json ? stderr : stdout);
    else if (r->dry_run)
        print_listing(r, r->json ? stderr : stdout);
    print_summary(r, stderr);
    if (r->json)
        print_json(r, stdout);
    fflush(stdout);
}
