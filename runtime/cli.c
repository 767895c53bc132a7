/* cli: see cli.h. The environment follows clickhouse-client's names where
 * they exist: CLICKHOUSE_HOST, CLICKHOUSE_PORT (mvrun speaks HTTP, so
 * this is the HTTP port, 8123 by default), CLICKHOUSE_USER and
 * CLICKHOUSE_PASSWORD. MVRUN_URL gives a whole URL (https://, chdb:). */
#include "cli.h"
#include "url.h"

#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_line[] =
    "usage: mvrun [apply] [OPTIONS] PLAN.sql\n"
    "       mvrun status [OPTIONS] PLAN.sql\n"
    "       mvrun verify PLAN.sql\n";

static const char connection_help[] =
    "Connection:\n"
    "  --url URL             http://HOST:PORT, https://HOST:PORT or chdb:DIR (ClickHouse as a\n"
    "                        library, data in DIR). Default: $MVRUN_URL, else\n"
    "                        http://$CLICKHOUSE_HOST:$CLICKHOUSE_PORT, else http://localhost:8123\n"
    "  --user USER           default: $CLICKHOUSE_USER, else the server's default user\n"
    "  --password-file FILE  the password is the file's first line. Default:\n"
    "                        $CLICKHOUSE_PASSWORD. Never on the command line, never printed\n"
    "  --insecure            do not verify the server's TLS certificate\n"
    "  --cacert FILE         verify it against these CA certificates\n";

static const char apply_help[] =
    "\nApplies a plan written by `mvdc build`: verifies it, takes the target's lock,\n"
    "reads the database's state, and runs the steps whose guards say they are needed,\n"
    "each recorded in the registry. Safe to run again: a converged database gets no DDL,\n"
    "and a run that stopped half-way resumes where it stopped.\n\n"
    "  --dry-run             read only: list every step as would-run or skipped, and why\n"
    "  --sql                 with --dry-run: print each statement that would run, as sent\n"
    "  --json                a JSON report on stdout (progress stays on stderr)\n"
    "  --allow-destructive   run steps marked destructive (they lose data)\n"
    "  --allow-destructive=DB.NAME\n"
    "                        only those of this object (repeat for more)\n"
    "  --allow-gap           run steps that leave an MV missing while inserts go on\n"
    "                        (window: rows inserted meanwhile never reach its target)\n"
    "  --break-lock          break the lock of a run that is gone (killed, machine lost)\n"
    "  --retry-for SECONDS   how long one step may retry transient failures (default 60)\n"
    "  --cutoff-margin SECONDS\n"
    "                        `backfill by` MVs: the cutoff is the server's now() plus this (and\n"
    "                        a second); a CREATE that returns later is made again; the fill\n"
    "                        waits until the clock is this far past it (default 10)\n"
    "  --chunk-rows N        a fill by chunks takes source partitions until a chunk holds\n"
    "                        at least N rows (default 1000000000): a kill loses at most one\n"
    "                        chunk's work; each chunk costs a few requests and a test per row\n"
    "  --ddl-timeout SECONDS with @option cluster: how long an ON CLUSTER statement waits\n"
    "                        for every host before mvrun checks which hosts applied it\n"
    "                        (distributed_ddl_task_timeout; default 20)\n"
    "  -h, --help            this help\n"
    "  --version             print mvrun's version\n\n";

static const char exit_help[] =
    "\nExit status: 0 done or nothing to do, 1 a step failed, 2 bad usage or invalid plan,\n"
    "3 drift, 4 locked by another run, 5 cannot connect or authenticate.\n"
    "See mvrun(1) and docs/mvrun.md.\n";

void cli_help(const Options *opt)
{
    switch (opt->command) {
    case CMD_VERIFY:
        fputs("usage: mvrun verify PLAN.sql\n\n"
              "Checks a plan without connecting to anything: its format line, its plan-sha256,\n"
              "every step's fields, numbering, byte length and sha256. Exit 0 when the plan is\n"
              "exactly what mvdc wrote, 2 (with the reason) when it is not.\n", stdout);
        return;
    case CMD_STATUS:
        fputs("usage: mvrun status [OPTIONS] PLAN.sql\n\n"
              "Read only: reads the database and says, for every object of the plan, whether it\n"
              "is applied, pending (and which steps would run), or drifted, and who holds the\n"
              "lock. Takes no lock. Exit 0 when the database is converged and unlocked, 1 when\n"
              "steps are pending, 3 when something drifted, 4 when a run holds the lock.\n\n"
              "  --json                a JSON report on stdout\n"
              "  -h, --help            this help\n\n", stdout);
        fputs(connection_help, stdout);
        fputs(exit_help, stdout);
        return;
    case CMD_APPLY:
        fputs(usage_line, stdout);
        fputs(apply_help, stdout);
        fputs(connection_help, stdout);
        fputs(exit_help, stdout);
        return;
    }
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("mvrun: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(usage_line, stderr);
    fputs("Run `mvrun --help` for the options.\n", stderr);
    return -1;
}

static char *default_url(void)
{
    const char *url = getenv("MVRUN_URL");
    if (url && *url)
        return xstrdup(url);
    const char *host = getenv("CLICKHOUSE_HOST"), *port = getenv("CLICKHOUSE_PORT");
    StrBuf b = {0};
    strbuf_printf(&b, "http://%s:%s", host && *host ? host : "localhost", port && *port ? port : "8123");
    return strbuf_take(&b);
}

/* --name VALUE or --name=VALUE. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        *value = NULL;
        return 1;
    }
    *value = argv[++*i];
    return 1;
}

static int parse_retry(const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0 || v > 86400)
        return -1;
    *out = v;
    return 0;
}

static int parse_option(int argc, char **argv, int *i, Options *opt, const char **password_file)
{
    const char *arg = argv[*i], *v = NULL;
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
        opt->help = 1;
    else if (strcmp(arg, "--version") == 0)
        opt->version = 1;
    else if (strcmp(arg, "--sql") == 0)
        opt->print_sql = 1;
    else if (strcmp(arg, "--insecure") == 0)
        opt->insecure = 1;
    else if (strcmp(arg, "--dry-run") == 0)
        opt->dry_run = 1;
    else if (strcmp(arg, "--json") == 0)
        opt->json = 1;
    else if (strcmp(arg, "--allow-destructive") == 0)
        opt->allow_destructive = 1;
    else if (strncmp(arg, "--allow-destructive=", 20) == 0) {
        if (!strchr(arg + 20, '.'))
            return usage_error("--allow-destructive=%s: name the object as DB.NAME", arg + 20);
        opt->allow_objects = xrealloc(opt->allow_objects, (opt->n_allow_objects + 1) * sizeof(char *));
        opt->allow_objects[opt->n_allow_objects++] = arg + 20;
    }
    else if (strcmp(arg, "--allow-gap") == 0)
        opt->allow_gap = 1;
    else if (strcmp(arg, "--break-lock") == 0)
        opt->break_lock = 1;
    else if (option_value(argc, argv, i, "--url", &v)) {
        if (!v)
            return usage_error("%s needs a value", arg);
        free(opt->url);
        opt->url = xstrdup(v);
    } else if (option_value(argc, argv, i, "--user", &v)) {
        if (!v)
            return usage_error("%s needs a value", arg);
        opt->user = v;
    } else if (option_value(argc, argv, i, "--password-file", &v)) {
        if (!v)
            return usage_error("%s needs a value", arg);
        *password_file = v;
    } else if (option_value(argc, argv, i, "--cacert", &v)) {
        if (!v)
            return usage_error("%s needs a value", arg);
        opt->cacert = v;
    } else if (option_value(argc, argv, i, "--retry-for", &v)) {
        if (!v || parse_retry(v, &opt->retry_seconds) != 0)
            return usage_error("--retry-for needs a number of seconds (0 to 86400)%s", "");
    } else if (option_value(argc, argv, i, "--cutoff-margin", &v)) {
        if (!v || parse_retry(v, &opt->cutoff_margin_seconds) != 0 || opt->cutoff_margin_seconds == 0)
            return usage_error("--cutoff-margin needs a number of seconds (1 to 86400)%s", "");
    } else if (option_value(argc, argv, i, "--chunk-rows", &v)) {
        char *end;
        errno = 0;
        opt->chunk_rows = v ? strtoll(v, &end, 10) : 0;
        if (!v || errno || end == v || *end || opt->chunk_rows < 1)
            return usage_error("--chunk-rows needs a number of rows (1 or more)%s", "");
    } else if (option_value(argc, argv, i, "--ddl-timeout", &v)) {
        if (!v || parse_retry(v, &opt->ddl_timeout_seconds) != 0 || opt->ddl_timeout_seconds == 0)
            return usage_error("--ddl-timeout needs a number of seconds (1 to 86400)%s", "");
    } else if (strncmp(arg, "--password", 10) == 0) {
        /* Never echo what follows: it may be the password itself. */
        return usage_error("%s", "there is no --password option: the password comes only from "
                                 "$CLICKHOUSE_PASSWORD or --password-file, so that it never "
                                 "appears in a process list or a shell history");
    } else {
        return usage_error("unknown option %s", arg);
    }
    return 0;
}

static int parse_command(const char *word, Command *out)
{
    if (strcmp(word, "apply") == 0)
        *out = CMD_APPLY;
    else if (strcmp(word, "verify") == 0)
        *out = CMD_VERIFY;
    else if (strcmp(word, "status") == 0)
        *out = CMD_STATUS;
    else
        return 0;
    return 1;
}

static int check_combinations(const Options *opt)
{
    int allow = opt->allow_destructive || opt->n_allow_objects;
    if (opt->command == CMD_VERIFY && (opt->url || opt->user || opt->dry_run || opt->json
                                       || opt->break_lock || allow || opt->allow_gap))
        return usage_error("%s", "verify takes only the plan: it connects to nothing");
    if (opt->command == CMD_STATUS && (opt->dry_run || opt->break_lock || allow || opt->allow_gap))
        return usage_error("%s", "status is read only: --dry-run, --break-lock, "
                                 "--allow-destructive and --allow-gap are for apply");
    if (opt->dry_run && opt->break_lock)
        return usage_error("%s", "--dry-run takes no lock, so it cannot break one");
    if (opt->print_sql && !opt->dry_run)
        return usage_error("%s", "--sql goes with --dry-run: it prints what a run would send");
    return 0;
}

int cli_parse(int argc, char **argv, Options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->retry_seconds = 60;
    opt->ddl_timeout_seconds = 20;
    opt->cutoff_margin_seconds = 10;
    opt->chunk_rows = 1000000000; /* docs/mv-changes.md, "How large a chunk" */
    const char *password_file = NULL;
    int i = 1;
    if (i < argc && parse_command(argv[i], &opt->command))
        i++;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0 && i + 1 < argc && !opt->plan_path) {
            opt->plan_path = argv[++i];
        } else if (arg[0] == '-' && arg[1] != '\0') {
            if (parse_option(argc, argv, &i, opt, &password_file) != 0)
                return -1;
        } else if (!opt->plan_path) {
            opt->plan_path = arg;
        } else {
            return usage_error("one plan at a time (also given: %s)", arg);
        }
    }
    if (opt->help || opt->version)
        return 0;
    if (!opt->plan_path)
        return usage_error("%s", "no plan given");
    if (check_combinations(opt) != 0)
        return -1;
    if (opt->command == CMD_VERIFY)
        return 0;
    if (!opt->url)
        opt->url = default_url();
    opt->shown_url = url_shown(opt->url);
    return login_read("mvrun", opt->user, password_file, &opt->login);
}

void cli_free(Options *opt)
{
    login_free(&opt->login);
    free(opt->url);
    free(opt->shown_url);
    free(opt->allow_objects);
    memset(opt, 0, sizeof *opt);
}

