/* report: everything mvrun tells the operator. Progress lines on stderr
 * while steps run (`[3/12] create table analytics.events ... ok 41 ms`),
 * then a summary that fits one screen: what ran, what was already done,
 * and for a failure the statement, the server's code and message, the
 * .mvd source and how to resume. With --json, the same as one JSON
 * object on stdout. */
#ifndef MVRUN_REPORT_H
#define MVRUN_REPORT_H

#include "judge.h"
#include "plan.h"
#include "progress.h"

#include <stdint.h>
#include <stdio.h>

/* Exit statuses (docs/mvrun.md). */
enum {
    EXIT_DONE = 0,          /* done, or nothing to do */
    EXIT_STEP_FAILED = 1,
    EXIT_USAGE = 2,         /* bad usage or an invalid plan */
    EXIT_DRIFT = 3,
    EXIT_LOCKED = 4,
    EXIT_CONNECT = 5,       /* cannot connect or authenticate */
};

typedef enum StepResult {
    STEP_NOT_JUDGED,        /* the run stopped before the guards were judged */
    STEP_SKIPPED,           /* its guard says it is not needed */
    STEP_WOULD_RUN,         /* --dry-run, status */
    STEP_OK,
    STEP_FAILED,
    STEP_NOT_REACHED,       /* would have run; the run stopped before it */
} StepResult;

typedef struct StepReport {
    StepResult result;
    int64_t ms;
    int attempts;
    int code;               /* ClickHouse's error code */
    char *error;            /* the server's message, or why it failed */
    char *note;             /* e.g. the server had applied it before a timeout */
    long long rows_to_read; /* --dry-run, a backfill step: the server's estimate; -1 unknown */
    FillCounts fill;        /* a backfill step that ran: what it read and wrote (progress.h) */
} StepReport;

typedef struct Report {
    const char *command;    /* apply, status */
    int json;
    int dry_run;
    int print_sql;          /* --dry-run --sql: the statements under the listing */
    const Plan *plan;
    const char *url;
    const Judgement *judgement;
    StepReport *steps;      /* one per plan step */
    char **notes;
    size_t n_notes;
    int exit_code;
    char *error;            /* why the run stopped, when it did not succeed */
    int failed_step;        /* 0: none */
    long requests;
    int64_t started_ms;
} Report;

void report_init(Report *r, const char *command, const Plan *plan, const char *url, int json,
                 int dry_run);
void report_free(Report *r);

/* A note for the summary and the JSON (printed on stderr at once too). */
void report_note(Report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the run's error message and exit status (the first error wins). */
void report_fail(Report *r, int exit_code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* `[3/12] create table analytics.events ... ` before a step, and
 * `ok 41 ms` or `FAILED` after it. */
void report_step_begin(Report *r, const PlanStep *s);
/* The text report_step_begin prints, malloc'ed (a progress line repeats it). */
char *report_step_prefix(const Report *r, const PlanStep *s);
void report_step_end(Report *r, const PlanStep *s);
/* A transient failure, and the wait before the next attempt. */
void report_step_retry(Report *r, const PlanStep *s, int attempt, long delay_ms, const char *why);

/* The summary on stderr (and the listing for --dry-run and status), and
 * with --json the JSON object on stdout. */
void report_finish(Report *r);

/* --json for a plan that could not be read: the object has the same
 * command, plan, outcome (`invalid-plan`), exit_code (2) and error keys. */
void report_invalid_plan_json(const char *command, const char *path, const char *message);

#endif
