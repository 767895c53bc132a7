/* mvrun: applies a plan written by `mvdc build` to ClickHouse.
 *
 *   read + verify the plan -> connect -> lock -> read the state (one
 *   query) -> judge guards and drift -> execute, recording each step ->
 *   read back -> unlock -> report
 *
 * Each stage is one file; this one strings them together and turns what
 * they say into exit statuses (report.h). docs/mvrun.md describes the
 * whole; mvrun --help the command line. */
#include "cli.h"
#include "url.h"
#include "conn.h"
#include "driftdiff.h"
#include "execute.h"
#include "hosts.h"
#include "judge.h"
#include "lock.h"
#include "plan.h"
#include "preflight.h"
#include "cutoff.h"
#include "cutoff_resume.h"
#include "fill.h"
#include "readback.h"
#include "recorder.h"
#include "registry_own.h"
#include "registry.h"
#include "report.h"
#include "state.h"
#include "strbuf.h"
#include "transport.h"
#include "version.h"

#include <curl/curl.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The one global: a signal handler can reach nothing else. SIGINT or
 * SIGTERM ask the run to stop after the step in flight (the lock is then
 * released and the report printed); a second one kills as usual. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

typedef struct Run {
    Options opt;
    Plan plan;
    Report report;
    Conn conn;
    Lock lock;
    Registry reg;
    LiveState live;
    Judgement judgement;
    char who[320];
    char host[256];
    long recorder_requests;
    ClusterHosts hosts;             /* @option cluster: its hosts (hosts.h) */
    TransportSetting settings[4];
    size_t n_settings;
    char ddl_timeout[24];
    int registry_db_absent;         /* read so before the lock (converged_without_lock) */
    int registry_absent;            /* no registry read before the lock: none yet */
    /* With a cluster: the connection whose ON CLUSTER statements are only
     * queued (open_enqueue); t NULL when there is none. */
    Conn enqueue;
} Run;

static int exit_for(TransportClass cls)
{
    return cls == TR_CONNECT || cls == TR_AUTH ? EXIT_CONNECT : EXIT_STEP_FAILED;
}

/* Fails the run for a request of mvrun's own that did not succeed: what
 * it was doing, unless the server was not reached or refused the
 * credentials, which is the thing to say then. */
static void fail_request(Run *run, const char *doing, const TransportResult *res)
{
    const char *why = res->message ? res->message : "no message";
    if (res->cls == TR_AUTH)
        report_fail(&run->report, EXIT_CONNECT, "cannot authenticate%s%s at %s (%s): %s",
                    run->opt.login.user ? " as " : "", run->opt.login.user ? run->opt.login.user : "", run->opt.shown_url,
                    run->opt.login.password_from ? run->opt.login.password_from : "no password", why);
    else if (res->cls == TR_CONNECT)
        report_fail(&run->report, EXIT_CONNECT, "%s", why);    /* "cannot connect to ...: why" */
    else
        report_fail(&run->report, exit_for(res->cls), "cannot %s: %s", doing, why);
}

/* user@host, for the registry and the lock. */
static void identify(Run *run)
{
    const char *user = getenv("USER");
    if (!user || !*user)
        user = getenv("LOGNAME");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "unknown";
    }
    if (gethostname(run->host, sizeof run->host) != 0)
        snprintf(run->host, sizeof run->host, "unknown");
    run->host[sizeof run->host - 1] = '\0';
    snprintf(run->who, sizeof run->who, "%s@%s", user, run->host);
}

/* ---- verify ----------------------------------------------------------------------- */

static int read_plan(Run *run)
{
    PlanError err;
    if (plan_read_file(run->opt.plan_path, &run->plan, &err) == 0)
        return 0;
    fprintf(stderr, "mvrun: %s\n", err.message);
    if (run->opt.json)
        report_invalid_plan_json(run->opt.command == CMD_STATUS ? "status" : "apply",
                                 run->opt.plan_path, err.message);
    return -1;
}

static int command_verify(Run *run)
{
    if (read_plan(run) != 0)
        return EXIT_USAGE;
    size_t teardown = 0, destructive = 0;
    for (size_t i = 0; i < run->plan.n_steps; i++) {
        teardown += run->plan.steps[i].phase == PHASE_TEARDOWN;
        destructive += run->plan.steps[i].destructive;
    }
    printf("%s: a valid plan (plan-sha256 %.12s, format 2, clickhouse %s, registry %s): "
           "%zu objects, %zu steps (%zu teardown, %zu setup, %zu destructive)\n",
           run->opt.plan_path, run->plan.sha256, run->plan.clickhouse, run->plan.registry,
           run->plan.n_objects, run->plan.n_steps, teardown, run->plan.n_steps - teardown,
           destructive);
    return EXIT_DONE;
}

/* ---- connect ---------------------------------------------------------------------- */

/* Where and as whom to connect, from the options. */
static TransportConfig transport_config(const Run *run)
{
    return (TransportConfig){
        .url = run->opt.url,
        .user = run->opt.login.user,
        .password = run->opt.login.password,
        .insecure = run->opt.insecure,
        .cacert = run->opt.cacert,
        .settings = run->settings,
        .n_settings = run->n_settings,
    };
}

/* With a cluster, every ON CLUSTER statement waits for every host at
 * most --ddl-timeout seconds (not the server's 180): a host that is down
 * is then found and named within seconds. So does a read of another host
 * through remote(): a host that takes the connection but never answers (a
 * stopped or hung server) would hold it for receive_timeout, 300 s, and
 * mvrun's next read for as long again. */
static void cluster_settings(Run *run)
{
    if (!run->plan.cluster || strncmp(run->opt.url, "chdb:", 5) == 0)
        return;
    snprintf(run->ddl_timeout, sizeof run->ddl_timeout, "%ld", run->opt.ddl_timeout_seconds);
    run->settings[0] = (TransportSetting){.name = "distributed_ddl_task_timeout",
                                          .value = run->ddl_timeout};
    run->settings[1] = (TransportSetting){.name = "receive_timeout", .value = run->ddl_timeout};
    run->settings[2] = (TransportSetting){.name = "send_timeout", .value = run->ddl_timeout};
    /* One try per host and read, not three: a failed read is probed and
     * retried by mvrun (state.c), so a hung host costs one timeout. */
    run->settings[3] = (TransportSetting){.name = "connections_with_failover_max_tries", .value = "1"};
    run->n_settings = 4;
}

/* The cluster's hosts, from the connected server: from here on the state
 * is read from each of them. */
static int read_hosts(Run *run)
{
    if (!run->plan.cluster || run->conn.is_chdb)
        return 0;
    TransportResult res;
    if (hosts_read(&run->conn, run->plan.cluster, run->plan.registry, run->opt.login.user,
                   run->opt.login.password, &run->hosts, &res) != 0) {
        fail_request(run, "read the cluster's hosts", &res);
        transport_result_free(&res);
        return -1;
    }
    run->conn.hosts = &run->hosts;
    run->conn.secret = run->opt.login.password;   /* now in the text of remote() reads */
    return 0;
}

static int connect_target(Run *run)
{
    TransportConfig cfg = transport_config(run);
    Transport *t;
    TransportError err;
    if (transport_open(&cfg, &t, &err) != 0) {
        /* chDB lets one process at a time open a directory: the other
         * mvrun holds it. */
        if (strncmp(run->opt.url, "chdb:", 5) == 0 && strstr(err.message, "Cannot lock file"))
            report_fail(&run->report, EXIT_LOCKED, "the target is locked: another process has "
                        "the chDB directory %s open (chDB allows one at a time)", run->opt.url + 5);
        else
            report_fail(&run->report, err.cls == TR_PERMANENT ? EXIT_USAGE : EXIT_CONNECT,
                        "cannot connect: %s", err.message);
        return -1;
    }
    run->conn.t = t;
    run->conn.is_chdb = strncmp(run->opt.url, "chdb:", 5) == 0;
    run->conn.url = run->opt.shown_url;
    char *proxy = url_proxy_note(run->opt.url);
    if (proxy)
        report_note(&run->report, "%s", proxy);
    free(proxy);
    run->conn.stop = &stop_requested;
    run->conn.jitter_seed = (unsigned)getpid() ^ (unsigned)now_ms();
    /* Until the first answer: a server that is not there is reported
     * within seconds. */
    run->conn.retry = (RetryPolicy){.max_attempts = 3, .first_delay_ms = 300,
                                    .max_delay_ms = 1000, .total_ms = 3000};
    return read_hosts(run);
}

static void full_retry_policy(Run *run)
{
    run->conn.retry = (RetryPolicy){.max_attempts = 12, .first_delay_ms = 250,
                                    .max_delay_ms = 8000,
                                    .total_ms = run->opt.retry_seconds * 1000};
}

/* ---- server version ----------------------------------------------------------------- */

/* "18.16.1.1" -> 18, 16; false when it does not start with two numbers. */
static int parse_version(const char *text, long *major, long *minor)
{
    char *end;
    *major = strtol(text, &end, 10);
    if (end == text || *end != '.')
        return 0;
    const char *rest = end + 1;
    *minor = strtol(rest, &end, 10);
    return end != rest;
}

/* The plan was compiled for option clickhouse: its DDL may use what older
 * servers refuse (TTL, CREATE FUNCTION, ...), and a refusal half-way
 * leaves the database between two versions. So the server's version is
 * asked first, before the lock or anything else is sent. */
static int check_server_version(Run *run)
{
    Tsv rows = {0};
    TransportResult res;
    /* With a cluster, it came with the hosts (read_hosts): no request. */
    if (!run->hosts.server_version) {
        if (conn_select(&run->conn, "SELECT version()", &rows, &res) != 0) {
            fail_request(run, "read the server's version", &res);
            transport_result_free(&res);
            return -1;
        }
        transport_result_free(&res);
    }
    const char *have = run->hosts.server_version ? run->hosts.server_version
                       : rows.n && rows.rows[0].n ? rows.rows[0].fields[0] : "";
    long smaj, smin, pmaj, pmin;
    int older = parse_version(have, &smaj, &smin) && parse_version(run->plan.clickhouse, &pmaj, &pmin)
                && (smaj < pmaj || (smaj == pmaj && smin < pmin));
    if (older)
        report_fail(&run->report, EXIT_USAGE,
                    "the server runs ClickHouse %s, older than the plan's option clickhouse '%s'; "
                    "nothing was sent.\n  Build the plan with option clickhouse = '%ld.%ld' in the sources "
                    "for this server, or apply it to a server of %s or newer.",
                    have, run->plan.clickhouse, smaj, smin, run->plan.clickhouse);
    tsv_free(&rows);
    return older ? -1 : 0;
}

/* ---- lock ------------------------------------------------------------------------- */

/* When the holder ran on this host and its process is gone, say so. */
static void stale_hint(Run *run, const LockHolder *h, StrBuf *out)
{
    if (h->host && strcmp(h->host, run->host) == 0 && h->pid > 0
        && kill((pid_t)h->pid, 0) != 0 && errno == ESRCH)
        strbuf_printf(out, "\n  Process %lld is not running on this host: the lock is stale.",
                  (long long)h->pid);
    strbuf_puts(out, "\n  If that run is gone (killed, machine lost), run again with --break-lock.");
}

static int take_lock(Run *run)
{
    run->lock = (Lock){.conn = &run->conn, .db = run->plan.registry, .cluster = run->plan.cluster,
                       .make_database = run->registry_db_absent, .make_registry = run->registry_absent,
                       .enqueue = run->enqueue.t ? &run->enqueue : NULL,
                       .ddl_timeout_ms = run->opt.ddl_timeout_seconds * 1000};
    LockHolder holder;
    StrBuf broke = {0};
    TransportResult res;
    /* chDB: the directory's own lock (see connect_target) already proves
     * that no other mvrun runs, so a lock table found is left over. */
    int break_stale = run->opt.break_lock || run->conn.is_chdb;
    LockStatus status = lock_acquire(&run->lock, run->who, run->host, run->plan.sha256,
                                     break_stale, &holder, &broke, &res);
    if (status == LOCK_HELD) {
        StrBuf msg = {0};
        strbuf_puts(&msg, "the target is locked by another run: ");
        lock_describe(&holder, &msg);
        stale_hint(run, &holder, &msg);
        report_fail(&run->report, EXIT_LOCKED, "%s", strbuf_str(&msg));
        strbuf_free(&msg);
        lock_holder_free(&holder);
    } else if (status == LOCK_FOREIGN) {
        report_fail(&run->report, EXIT_DRIFT, "the registry database `%s` holds a table `lock` that "
                    "mvrun did not make: mvrun locks the target by creating that table, so it cannot "
                    "run here, and it never renames or drops a table it did not make. Rename that "
                    "table, or set `option registry` to a database of mvrun's own and build the plan "
                    "again", run->plan.registry);
        lock_holder_free(&holder);
    } else if (status == LOCK_FAILED) {
        fail_request(run, "take the lock", &res);
        transport_result_free(&res);
    } else if (broke.len && run->lock.took_released) {
        report_note(&run->report, "took over the lock left by %s: that run had ended and left the "
                    "record that it released the lock, which it could not drop (ZooKeeper did not "
                    "answer)", strbuf_str(&broke));
    } else if (broke.len) {
        report_note(&run->report, run->conn.is_chdb
                    ? "removed a lock left by a run that is gone (%s): chDB lets one process at a "
                      "time open its directory, so that run cannot be running"
                    : "broke the lock held by %s", strbuf_str(&broke));
    }
    strbuf_free(&broke);
    return status == LOCK_ACQUIRED ? 0 : -1;
}

/* ZooKeeper gone or its session lost: 999 (Keeper exception), 225 (no
 * ZooKeeper), 242 (a replicated table read-only without it). */
static int keeper_failure(const TransportResult *res)
{
    return res->code == 999 || res->code == 225 || res->code == 242;
}

static void release_lock(Run *run)
{
    TransportResult res;
    int rc = lock_release(&run->lock, &res);
    if (rc == 3)
        report_note(&run->report, "could not drop the lock (%s)%s: this run left the record that it "
                    "released it instead (table %s.lock_released_<its token> on the connected host). "
                    "The next run takes the lock over once ZooKeeper answers; no --break-lock needed",
                    res.message ? res.message : "no message",
                    keeper_failure(&res) ? ": ZooKeeper does not answer, and no ON CLUSTER statement "
                                           "runs without it" : "", run->plan.registry);
    else if (rc < 0 && run->conn.hosts && keeper_failure(&res))
        report_note(&run->report, "could not release the lock (%s): ZooKeeper does not answer, "
                    "and no ON CLUSTER statement runs without it. Once it is back, the next run "
                    "finds the lock held by this one (pid %ld): run it with --break-lock",
                    res.message ? res.message : "no message", (long)getpid());
    else if (rc < 0)
        report_note(&run->report, "could not release the lock (%s): the next run will find it "
                    "held and needs --break-lock", res.message ? res.message : "no message");
    else if (rc == 2)
        report_note(&run->report, "released the lock on the hosts that answered; the others "
                    "drop it when they come back (the DDL queue keeps the statement)");
    else if (rc > 0)
        report_note(&run->report, "the lock was broken by another run while this one held it");
    transport_result_free(&res);
}

/* ---- state and judgement ---------------------------------------------------------- */

/* A history left by an earlier mvrun in a Log-family engine is moved to
 * MergeTree, which a full disk or a crash cannot leave unreadable. */
static int migrate_registry(Run *run)
{
    PlanName history = {.db = run->plan.registry, .name = REGISTRY_HISTORY};
    const LiveObject *o = state_find_object(&run->live, &history);
    if (!o || !registry_needs_migration(o->engine))
        return 0;
    TransportResult res;
    if (registry_migrate(&run->reg, &res) != 0) {
        StrBuf what = {0};
        strbuf_printf(&what, "move the registry's history from %s to MergeTree (nothing else was done; "
                      "if %s.history cannot be read, its data was damaged by an earlier full disk: "
                      "rename it away and run again, the objects are then adopted or reported as drift)",
                      o->engine, run->plan.registry);
        fail_request(run, strbuf_str(&what), &res);
        strbuf_free(&what);
        transport_result_free(&res);
        return -1;
    }
    report_note(&run->report, "moved the registry's history from %s to MergeTree (the old table is "
                "kept as %s.%s)", o->engine, run->plan.registry, REGISTRY_HISTORY_OLD);
    return 0;
}

/* A registry database holding an application's `history` or `objects`
 * (registry_own.h): exit 3, nothing written. Returns 1 when refused. */
static int registry_foreign_refused(Run *run, const LiveState *live)
{
    StrBuf why = {0};
    int foreign = registry_foreign(live, run->plan.registry, &why);
    if (foreign)
        report_fail(&run->report, EXIT_DRIFT, "the registry database `%s` holds %s: mvrun keeps "
                    "its records there, so it cannot run here, and it never writes into or drops "
                    "a table it did not make. Rename that table, or set `option registry` to a "
                    "database of mvrun's own and build the plan again", run->plan.registry,
                    strbuf_str(&why));
    strbuf_free(&why);
    return foreign;
}

/* After the state query failed: was it reading an application's table
 * as the registry? The catalog alone tells (no registry parts). */
static int registry_refused(Run *run)
{
    LiveState catalog;
    TransportResult res;
    int refused = 0;
    if (state_read_shapes(&run->conn, &run->plan, &catalog, &res) == 0) {
        refused = registry_foreign_refused(run, &catalog);
        state_free(&catalog);
    } else {
        transport_result_free(&res);
    }
    return refused;
}

/* Whether this run writes each record before the next step (registry.h,
 * REGISTRY_PENDING_INLINE): on chDB (one process, no second connection),
 * and for a plan with cutoff steps, whose MV states a re-run can only tell
 * from the records (cutoff.c). */
static int records_in_line(const Run *run)
{
    if (run->conn.is_chdb)
        return 1;
    for (size_t i = 0; i < run->plan.n_steps; i++)
        if (run->plan.steps[i].cutoff)
            return 1;
    return 0;
}

/* Until they run: apply marks each step as it ends (a refusal before
 * the first leaves them not reached, never "already done"), the
 * read-only commands only say what would run. */
static void mark_steps(Run *run)
{
    int read_only = run->opt.dry_run || run->opt.command == CMD_STATUS;
    for (size_t i = 0; i < run->plan.n_steps; i++)
        run->report.steps[i].result = !run->judgement.steps[i].run ? STEP_SKIPPED
                                      : read_only ? STEP_WOULD_RUN : STEP_NOT_REACHED;
}

/* A `backfill by` MV left filtered by an interrupted run is kept, and its
 * fill resumes (cutoff_resume.h). Returns 0, or -1 after report_fail;
 * a read-only run says only what would run, and takes a failure (no fill
 * records yet) for nothing to keep. */
static int keep_cutoff_fills(Run *run)
{
    int read_only = run->opt.dry_run || run->opt.command == CMD_STATUS;
    TransportResult res;
    int kept = cutoff_resume(&run->plan, &run->judgement, &run->conn, &res);
    if (kept < 0 && !read_only)
        report_fail(&run->report, exit_for(res.cls), "cannot read the registry's fill records (%s); nothing "
                    "was run", res.message ? res.message : "no message");
    transport_result_free(&res);
    if (kept > 0)
        mark_steps(run);
    return kept < 0 && !read_only ? -1 : 0;
}

static int read_state(Run *run, int create_registry)
{
    TransportResult res;
    run->reg = (Registry){.conn = &run->conn, .db = run->plan.registry,
                          .cluster = run->plan.cluster, .plan_sha256 = run->plan.sha256,
                          .who = run->who, .inline_records = records_in_line(run)};
    /* Before this run made the registry (create_registry 0: before the
     * lock, status, dry run), a connected host without it means none to
     * read: one state read instead of three that fail in turn. */
    const Registry *reg = !create_registry && run->conn.hosts && !run->hosts.registry_here ? NULL : &run->reg;
    if (state_read(&run->conn, &run->plan, reg, &run->live, &res) != 0) {
        /* A host that does not answer (TR_CONNECT) is the answer: reading
         * the catalog again would only wait for it once more. */
        if (res.cls == TR_CONNECT || !registry_refused(run))
            fail_request(run, "read the database's state", &res);
        transport_result_free(&res);
        return -1;
    }
    if (registry_foreign_refused(run, &run->live))
        return -1;
    if (run->live.registry_read && create_registry && !run->plan.cluster && migrate_registry(run) != 0)
        return -1;
    if (!run->live.registry_read && create_registry) {
        if (registry_create_tables(&run->reg, &res) != 0) {
            fail_request(run, "create the registry", &res);
            transport_result_free(&res);
            return -1;
        }
        transport_result_free(&res);
    }
    run->reg.server_version = run->live.server_version ? run->live.server_version : "";
    run->reg.run = run->live.last_run + 1;
    judge_plan(&run->plan, &run->live, &run->judgement);
    run->report.judgement = &run->judgement;
    mark_steps(run);
    if (run->judgement.n_drift) {
        driftdiff_fill(&run->conn, &run->plan, &run->judgement);
        report_fail(&run->report, EXIT_DRIFT, "the database has drifted");
        return -1;
    }
    return 0;
}

/* Whether --allow-destructive covers step s: the flag alone allows all,
 * =DB.NAME the steps of that object. */
static int destructive_allowed(const Run *run, const PlanStep *s)
{
    if (run->opt.allow_destructive)
        return 1;
    for (size_t k = 0; k < run->opt.n_allow_objects; k++)
        if (strcmp(run->opt.allow_objects[k], s->name.text) == 0)
            return 1;
    return 0;
}

/* An --allow-destructive=DB.NAME that names no destructive step of the
 * plan is a typo that would allow nothing: refused before connecting. */
static int check_allow_names(Run *run)
{
    for (size_t k = 0; k < run->opt.n_allow_objects; k++) {
        const char *want = run->opt.allow_objects[k];
        int found = 0;
        for (size_t i = 0; i < run->plan.n_steps && !found; i++)
            found = run->plan.steps[i].destructive && strcmp(run->plan.steps[i].name.text, want) == 0;
        if (!found) {
            report_fail(&run->report, EXIT_USAGE, "--allow-destructive=%s: the plan has no destructive "
                        "step for %s; nothing was sent", want, want);
            return -1;
        }
    }
    return 0;
}

/* Destructive steps that would run, refused without --allow-destructive
 * (for all, or for their object) before anything runs. */
static int check_destructive(Run *run)
{
    StrBuf list = {0};
    StrBuf flags = {0};
    for (size_t i = 0; i < run->plan.n_steps; i++) {
        const PlanStep *s = &run->plan.steps[i];
        if (!run->judgement.steps[i].run || !s->destructive || destructive_allowed(run, s))
            continue;
        strbuf_printf(&list, "\n  step %u: %s %s %s (%s)", s->number, s->action,
                      plan_kind_name(s->kind), s->name.text, s->src);
        char flag[600];
        snprintf(flag, sizeof flag, " --allow-destructive=%s", s->name.text);
        if (!strstr(strbuf_str(&flags), flag))
            strbuf_puts(&flags, flag);
    }
    int refused = list.len > 0;
    if (refused)
        report_fail(&run->report, EXIT_USAGE, "the plan would run destructive steps, which lose "
                    "data; nothing was run:%s\n  Run again with%s (or --allow-destructive for "
                    "every one) to allow them.",
                    strbuf_str(&list), strbuf_str(&flags));
    strbuf_free(&list);
    strbuf_free(&flags);
    return refused ? -1 : 0;
}

/* Steps that open a gap (window: an MV is missing until the step that
 * creates it again, or the MV that replaces it (until=), and the rows
 * inserted meanwhile never reach its target), refused without --allow-gap
 * before anything runs: losing rows is a decision the operator takes, not
 * one a release job takes by default. */
static int check_gaps(Run *run)
{
    if (run->opt.allow_gap)
        return 0;
    StrBuf list = {0};
    for (size_t i = 0; i < run->plan.n_steps; i++) {
        const PlanStep *s = &run->plan.steps[i];
        if (!run->judgement.steps[i].run || !s->window)
            continue;
        strbuf_printf(&list, "\n  step %u: %s %s %s (%s): ", s->number, s->action, plan_kind_name(s->kind),
                      s->name.text, s->src);
        if (s->until.text)
            strbuf_printf(&list, "dropped here, and %s, which replaces it, is created at step %u: rows "
                          "inserted in between reach neither", s->until.text, s->window);
        else
            strbuf_printf(&list, "missing until step %u", s->window);
    }
    int refused = list.len > 0;
    if (refused)
        report_fail(&run->report, EXIT_STEP_FAILED, "the plan would leave materialized views missing "
                    "while inserts go on: rows inserted meanwhile would never reach their targets; "
                    "nothing was run:%s\n  Pause the inserts into their sources and run again with "
                    "--allow-gap, or declare the MVs `backfill` so that the plan fills the gap.",
                    strbuf_str(&list));
    strbuf_free(&list);
    return refused ? -1 : 0;
}

/* A backfill MV's fill runs through the connected host and reads its
 * shard's rows only, while its truncate goes ON CLUSTER: on a cluster of
 * several shards the other shards' targets would be emptied and never
 * filled (docs/mv-changes.md, "`backfill` on a cluster"). Refused before
 * anything runs. */
static int check_shards(Run *run)
{
    const ClusterHosts *h = run->conn.hosts;
    size_t shards = 0;
    for (size_t i = 0; h && i < h->n; i++) {
        size_t k = 0;
        while (k < i && h->hosts[k].shard != h->hosts[i].shard)
            k++;
        shards += k == i;
    }
    if (shards < 2)
        return 0;
    for (size_t i = 0; i < run->plan.n_steps; i++) {
        const PlanStep *s = &run->plan.steps[i];
        if (!run->judgement.steps[i].run || strcmp(s->action, "backfill") != 0)
            continue;
        report_fail(&run->report, EXIT_USAGE, "step %u fills the target of %s through the connected host, "
                    "but cluster %s has %zu shards: the fill would read and fill that host's shard only, and "
                    "the other shards' targets, emptied on every host, would never hold their history; "
                    "nothing was run. mvrun does not fill each shard yet: drop `backfill` from the MV, or "
                    "fill each shard's target by hand", s->number, s->name.text, run->plan.cluster, shards);
        return -1;
    }
    return 0;
}

/* ---- apply ------------------------------------------------------------------------ */

/* The connection that records each step while the next one runs
 * (recorder.h); HTTP only. NULL: records are written in line. */
static Recorder *start_recorder(Run *run)
{
    if (run->reg.inline_records)
        return NULL;
    TransportConfig cfg = transport_config(run);
    TransportError err;
    StrBuf prefix = {0};
    registry_insert_sql(&run->reg, NULL, 0, &prefix);
    Recorder *r = recorder_start(&cfg, &run->conn.retry, &stop_requested, strbuf_str(&prefix),
                                 REGISTRY_PENDING_ONE - 1, &err);
    strbuf_free(&prefix);
    if (!r)
        report_note(&run->report, "records steps in line (no second connection: %s)", err.message);
    const char *fault = getenv("MVRUN_FAULT");
    if (r && fault && strcmp(fault, "unrecorded") == 0)
        recorder_hold(r);
    return r;
}

/* With a cluster: a second connection whose statements only queue their
 * ON CLUSTER task (distributed_ddl_task_timeout = 0), for the batches of
 * creates that execute.c sends together. Returns 0, or -1 (then every
 * step waits for its own answer). */
static int open_enqueue(Run *run, Conn *out)
{
    TransportConfig cfg = transport_config(run);
    TransportSetting zero = {.name = "distributed_ddl_task_timeout", .value = "0"};
    cfg.settings = &zero;
    cfg.n_settings = 1;
    TransportError err;
    Transport *t;
    if (transport_open(&cfg, &t, &err) != 0)
        return -1;
    *out = (Conn){.t = t, .url = run->conn.url, .stop = &stop_requested};
    return 0;
}

/* MVRUN_FAULT=after-statement:N, after-record:N or stop-after:N
 * (docs/mvrun.md; `unrecorded` is the recorder's, start_recorder): the fault tests' exact kill points, and a pause (the
 * process stops itself; the test kills a replica, then continues it). */
static void read_fault(Execution *x)
{
    const char *fault = getenv("MVRUN_FAULT");
    unsigned step = 0;
    if (!fault)
        return;
    if (sscanf(fault, "after-statement:%u", &step) == 1) {
        x->fault_step = step;
    } else if (sscanf(fault, "stop-after:%u", &step) == 1) {
        x->fault_step = step;
        x->fault_stop = 1;
    } else if (sscanf(fault, "after-record:%u", &step) == 1) {
        x->fault_step = step;
        x->fault_after_record = 1;
    } else if (sscanf(fault, "batch-queued:%u", &step) == 1) {
        x->fault_queued = step;
    } else if (sscanf(fault, "slow-cutoff:%u", &step) == 1) {
        x->fault_slow_cutoff = (int)step;
    } else if (sscanf(fault, "chunk-staged:%u", &step) == 1) {
        x->fault_chunk = step;
        x->fault_chunk_at = 1;
    } else if (sscanf(fault, "chunk-moved:%u", &step) == 1) {
        x->fault_chunk = step;
        x->fault_chunk_at = 2;
    } else if (sscanf(fault, "chunk-done:%u", &step) == 1) {
        x->fault_chunk = step;
        x->fault_chunk_at = 3;
    }
}

static void apply_locked(Run *run)
{
    int fill_table = 0;
    if (read_state(run, 1) != 0 || check_destructive(run) != 0 || check_gaps(run) != 0 || check_shards(run) != 0
        || cutoff_prepare(&run->plan, &run->judgement, &run->conn, &run->report) != 0
        || fill_prepare(&run->plan, &run->judgement, &run->conn, run->reg.server_version, &run->report,
                        &fill_table) != 0
        || (fill_table && keep_cutoff_fills(run) != 0)
        || preflight(&run->plan, &run->judgement, &run->conn, &run->report) != 0)
        return;
    Execution x = {.plan = &run->plan, .conn = &run->conn, .reg = &run->reg, .fill_table = fill_table,
                   .judgement = &run->judgement, .report = &run->report, .stop = &stop_requested};
    read_fault(&x);
    x.recorder = run->judgement.n_to_run > 1 ? start_recorder(run) : NULL;
    x.ddl_timeout_ms = run->opt.ddl_timeout_seconds * 1000;
    x.cutoff_margin_s = run->opt.cutoff_margin_seconds;
    x.chunk_rows = (unsigned long long)run->opt.chunk_rows;
    TransportConfig watch = transport_config(run);
    x.watch = run->conn.is_chdb ? NULL : &watch;
    x.tty = isatty(STDERR_FILENO);
    ReadbackInput final = {0};
    if (run->enqueue.t && run->judgement.n_to_run > 1) {
        x.enqueue = &run->enqueue;
        x.final = &final;
    }
    execute_plan(&x);
    run->recorder_requests = recorder_stop(x.recorder) + x.watch_requests;
    if (x.started)
        readback(&run->plan, &run->conn, &run->reg, &run->report, &final);
    readback_input_free(&final);
}

/* With a cluster, the state of every host is read before the lock: a host
 * that does not answer and a converged cluster are then reported without
 * an ON CLUSTER statement (the lock's CREATE and DROP each wait on every
 * host's DDL queue). Nothing is written either way. Anything else, drift
 * included (it may be another run's work in progress: that run holds the
 * lock, and this one must say so), takes the lock and reads the state
 * again under it. Returns 1 when the run is over. */
static int converged_without_lock(Run *run)
{
    if (read_state(run, 0) != 0) {
        if (run->report.exit_code != EXIT_DRIFT)
            return 1;
        free(run->report.error);        /* judged again under the lock */
        run->report.error = NULL;
        run->report.exit_code = EXIT_DONE;
        judge_free(&run->judgement);
        state_free(&run->live);
        run->report.judgement = NULL;
        return 0;
    }
    run->registry_db_absent = !state_has_database(&run->live, run->plan.registry);
    run->registry_absent = !run->live.registry_read;
    int to_record = 0;
    for (size_t i = 0; i < run->judgement.n_objects; i++)
        to_record |= run->judgement.objects[i].record;
    if (run->judgement.n_to_run == 0 && !to_record)
        return 1;
    judge_free(&run->judgement);
    state_free(&run->live);
    run->report.judgement = NULL;
    return 0;
}

static void command_apply(Run *run)
{
    if (check_allow_names(run) != 0 || connect_target(run) != 0 || check_server_version(run) != 0)
        return;
    if (run->opt.dry_run) {
        if (read_state(run, 0) == 0 && keep_cutoff_fills(run) == 0)
            preflight_estimate(&run->plan, &run->judgement, &run->live, &run->conn, &run->report);
        return;
    }
    if (run->conn.hosts && converged_without_lock(run))
        return;
    if (run->conn.hosts && open_enqueue(run, &run->enqueue) != 0)
        run->enqueue = (Conn){0};       /* every statement then waits for its answer */
    if (take_lock(run) == 0) {
        full_retry_policy(run);
        apply_locked(run);
        release_lock(run);
    }
    run->recorder_requests += run->enqueue.requests;
    if (run->enqueue.t)
        transport_close(run->enqueue.t);
}

/* status: who holds the lock, if anyone (exit 4 then). */
static void status_lock(Run *run)
{
    Lock lock = {.conn = &run->conn, .db = run->plan.registry, .cluster = run->plan.cluster};
    LockHolder holder;
    TransportResult res;
    int held = lock_read(&lock, &holder, &res);
    if (held < 0) {
        fail_request(run, "read the lock", &res);
        transport_result_free(&res);
        return;
    }
    if (held == 0) {
        report_note(&run->report, "the lock is free");
        return;
    }
    StrBuf msg = {0};
    if (lock_released(&lock, &holder)) {
        strbuf_puts(&msg, "the lock is left by ");
        lock_describe(&holder, &msg);
        report_note(&run->report, "%s, which ended and recorded that it released it (it could not "
                    "drop it: ZooKeeper did not answer); the next run takes it over",
                    strbuf_str(&msg));
        strbuf_free(&msg);
        lock_holder_free(&holder);
        return;
    }
    strbuf_puts(&msg, "the target is locked by ");
    lock_describe(&holder, &msg);
    stale_hint(run, &holder, &msg);
    report_fail(&run->report, EXIT_LOCKED, "%s", strbuf_str(&msg));
    strbuf_free(&msg);
    lock_holder_free(&holder);
}

/* status exits 0 only for a converged, unlocked database: 1 with steps
 * pending, 3 on drift (read_state), 4 when a run holds the lock. */
static void command_status(Run *run)
{
    if (connect_target(run) != 0 || check_server_version(run) != 0 || read_state(run, 0) != 0
        || keep_cutoff_fills(run) != 0)
        return;
    status_lock(run);
    if (run->report.exit_code == EXIT_DONE && run->judgement.n_to_run)
        report_fail(&run->report, EXIT_STEP_FAILED, "%zu step%s pending: run mvrun apply",
                    run->judgement.n_to_run, run->judgement.n_to_run == 1 ? " is" : "s are");
}

/* ---- main ------------------------------------------------------------------------- */

static int run_command(Run *run)
{
    if (run->opt.command == CMD_VERIFY)
        return command_verify(run);
    if (read_plan(run) != 0)
        return EXIT_USAGE;
    int dry = run->opt.dry_run || run->opt.command == CMD_STATUS;
    report_init(&run->report, run->opt.command == CMD_STATUS ? "status" : "apply", &run->plan,
                run->opt.shown_url, run->opt.json, dry);
    run->report.print_sql = run->opt.print_sql;
    identify(run);
    cluster_settings(run);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("mvrun: libcurl failed to initialise\n", stderr);
        report_free(&run->report);
        return EXIT_CONNECT;
    }
    if (run->opt.command == CMD_STATUS)
        command_status(run);
    else
        command_apply(run);
    run->report.requests = run->conn.requests + run->recorder_requests;
    report_finish(&run->report);
    int code = run->report.exit_code;
    transport_close(run->conn.t);
    curl_global_cleanup();
    report_free(&run->report);
    return code;
}

int main(int argc, char **argv)
{
    Run run;
    memset(&run, 0, sizeof run);
    if (cli_parse(argc, argv, &run.opt) != 0) {
        cli_free(&run.opt);
        return EXIT_USAGE;
    }
    if (run.opt.version) {
        printf("mvrun %s\n", MVD_VERSION);
        cli_free(&run.opt);
        return EXIT_DONE;
    }
    if (run.opt.help) {
        cli_help(&run.opt);
        cli_free(&run.opt);
        return EXIT_DONE;
    }
    catch_signals();
    int code = run_command(&run);
    judge_free(&run.judgement);
    state_free(&run.live);
    lock_holder_free(&run.lock.me);
    hosts_free(&run.hosts);
    plan_free(&run.plan);
    cli_free(&run.opt);
    return code;
}
