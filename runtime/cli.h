/* cli: mvrun's command line and environment, read into Options. Nothing
 * here connects to anything. */
#ifndef MVRUN_CLI_H
#define MVRUN_CLI_H

#include "login.h"

#include <stddef.h>

typedef enum Command { CMD_APPLY, CMD_VERIFY, CMD_STATUS } Command;

typedef struct Options {
    Command command;
    const char *plan_path;
    char *url;                  /* owned */
    char *shown_url;            /* owned: url as messages show it, credentials cut out */
    const char *user;           /* --user, as given (NULL: none) */
    Login login;                /* user, password and where it came from; owned */
    const char *cacert;
    int insecure;
    int dry_run;
    int json;
    int allow_destructive;      /* --allow-destructive: every destructive step */
    const char **allow_objects; /* --allow-destructive=db.obj (repeatable): those objects' only */
    size_t n_allow_objects;
    int print_sql;              /* --dry-run --sql: each statement that would run */
    int allow_gap;              /* run steps that open a gap (window=) */
    int break_lock;
    long retry_seconds;
    long ddl_timeout_seconds;   /* distributed_ddl_task_timeout with a cluster */
    long long chunk_rows;       /* a fill by chunks: source rows a chunk takes at least (fill.c) */
    long cutoff_margin_seconds; /* `backfill by` MVs: T = now() + this, the fill after T + this */
    int help;                   /* --help was asked for: print it and exit 0 */
    int version;                /* --version: print it and exit 0 */
} Options;

/* Fills *opt from argv and the environment (CLICKHOUSE_HOST, _PORT,
 * _USER, _PASSWORD, MVRUN_URL). Returns 0, or -1 after printing a usage
 * error on stderr (exit 2). */
int cli_parse(int argc, char **argv, Options *opt);

/* The help text for opt->command (or for mvrun as a whole). */
void cli_help(const Options *opt);

void cli_free(Options *opt);

#endif
