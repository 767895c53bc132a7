/* lock: see lock.h and docs/mvrun.md ("The lock").
 *
 * CREATE TABLE without IF NOT EXISTS is the primitive: the server takes a
 * per-name guard (DDLGuard) around "does it exist? create it", on 18.16 as
 * on 26.x, so concurrent creators are serialised and all but one get 57.
 * The table's engine is Memory: nothing but its definition is kept, and
 * the definition survives a server restart (the lock must, too: a run
 * that resumes after the restart still holds it).
 *
 * With a cluster, the CREATE and DROP go ON CLUSTER: every host executes
 * the distributed DDL queue in the one order ZooKeeper gave it, so the
 * first of two concurrent creates wins on every host and the second
 * fails on every host. */
#include "lock.h"

#include "hosts.h"
#include "registry.h"
#include "sqlquote.h"
#include "tsv.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CODE_TABLE_EXISTS 57
#define CODE_UNKNOWN_TABLE 60
#define CODE_UNKNOWN_DATABASE 81

static void on_cluster(const Lock *lock, StrBuf *sql)
{
    if (lock->cluster) {
        strbuf_puts(sql, " ON CLUSTER ");
        sql_ident(sql, lock->cluster);
    }
}

/* 32 hex digits from the kernel's random source; the time and pid when
 * that cannot be read (a token needs to be unique, not secret). */
static char *new_token(void)
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, raw, sizeof raw) : -1;
    if (fd >= 0)
        close(fd);
    if (n != (ssize_t)sizeof raw) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t a = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec, b = (uint64_t)getpid();
        memcpy(raw, &a, 8);
        memcpy(raw + 8, &b, 8);
    }
    StrBuf s = {0};
    for (size_t i = 0; i < sizeof raw; i++)
        strbuf_printf(&s, "%02x", raw[i]);
    return strbuf_take(&s);
}

static void create_sql(const Lock *lock, StrBuf *sql)
{
    const LockHolder *me = &lock->me;
    strbuf_puts(sql, "CREATE TABLE ");
    sql_qualified(sql, lock->db, REGISTRY_LOCK);
    on_cluster(lock, sql);
    strbuf_puts(sql, " (token String DEFAULT ");
    sql_string(sql, me->token);
    strbuf_puts(sql, ", who String DEFAULT ");
    sql_string(sql, me->who);
    strbuf_puts(sql, ", host String DEFAULT ");
    sql_string(sql, me->host);
    /* Numbers as strings too: 26.x shows a number's default as
     * CAST(N, 'UInt64'), a string's as the literal. */
    strbuf_printf(sql, ", pid String DEFAULT '%" PRId64 "', since String DEFAULT '%" PRId64
                   "', plan String DEFAULT ", me->pid, me->since);
    sql_string(sql, me->plan);
    strbuf_puts(sql, ") ENGINE = Memory");
}

/* Fills *holder from one row `name<TAB>default_expression`. */
static void holder_field(LockHolder *holder, const char *name, const char *expr)
{
    char *text = NULL;
    if (sql_unquote_string(expr, &text) != 0)
        text = xstrdup(expr);
    if (strcmp(name, "pid") == 0 || strcmp(name, "since") == 0) {
        *(strcmp(name, "pid") == 0 ? &holder->pid : &holder->since) = strtoll(text, NULL, 10);
        free(text);
        return;
    }
    char **slot = strcmp(name, "token") == 0 ? &holder->token
                  : strcmp(name, "who") == 0 ? &holder->who
                  : strcmp(name, "host") == 0 ? &holder->host
                  : strcmp(name, "plan") == 0 ? &holder->plan : NULL;
    if (slot && !*slot)
        *slot = text;
    else
        free(text);
}

/* One of the lock's columns, its default a string literal. */
static int lock_column(const char *name, const char *expr)
{
    static const char *const names[] = {"token", "who", "host", "pid", "since", "plan"};
    char *text = NULL;
    if (sql_unquote_string(expr, &text) != 0)
        return 0;
    free(text);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static int is_token(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 32;
}

/* Reads who holds the lock. Returns 1 when found, 0 when there is no
 * lock (any more), -1 when the server could not be asked. */
static int read_holder(Lock *lock, LockHolder *holder, TransportResult *res)
{
    memset(holder, 0, sizeof *holder);
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT name, default_expression FROM system.columns WHERE database = ");
    sql_string(&sql, lock->db);
    strbuf_puts(&sql, " AND table = ");
    sql_string(&sql, REGISTRY_LOCK);
    Tsv rows;
    int rc = conn_select(lock->conn, strbuf_str(&sql), &rows, res);
    strbuf_free(&sql);
    if (rc != 0)
        return -1;
    int mine = rows.n == 6;
    for (size_t i = 0; i < rows.n; i++) {
        if (rows.rows[i].n == 2)
            holder_field(holder, rows.rows[i].fields[0], rows.rows[i].fields[1]);
        mine &= rows.rows[i].n == 2 && lock_column(rows.rows[i].fields[0], rows.rows[i].fields[1]);
    }
    int found = rows.n > 0;
    tsv_free(&rows);
    transport_result_free(res);
    if (found && !holder->token)
        holder->token = xstrdup("");
    /* Only a table with exactly mvrun's columns and a token it could have
     * drawn is its lock: any other table of that name is the user's, and
     * is never broken, renamed or dropped. */
    holder->foreign = found && !(mine && is_token(holder->token));
    return found;
}

/* Renames the lock that `seen` describes out of the way. The new name
 * carries seen's token, so two runs that both break the same stale lock
 * cannot both succeed: the second rename finds its target taken. */
static int break_lock(Lock *lock, const LockHolder *seen, TransportResult *res)
{
    StrBuf sql = {0}, broken = {0};
    strbuf_printf(&broken, "lock_broken_%s", seen->token[0] ? seen->token : "unknown");
    strbuf_puts(&sql, "RENAME TABLE ");
    sql_qualified(&sql, lock->db, REGISTRY_LOCK);
    strbuf_puts(&sql, " TO ");
    sql_qualified(&sql, lock->db, strbuf_str(&broken));
    on_cluster(lock, &sql);
    int rc = conn_query(lock->conn, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    strbuf_free(&broken);
    return rc;
}

/* ---- A lock its run released, but could not drop -------------------------------

   Every ON CLUSTER statement needs ZooKeeper: with it gone at the end of
   a run, the lock's DROP cannot run, and the lock would stay on every
   host. The run then leaves a record instead: a table
   <registry>.lock_released_<its token>, made on the connected host alone
   (a plain CREATE of a Memory table needs no ZooKeeper). The token is
   drawn per run, and a run makes that table only when it is done, so the
   next run that finds the lock held with that token knows its holder is
   gone: it breaks the lock as --break-lock would (ZooKeeper is back by
   then, or no ON CLUSTER statement runs), and drops the record. */

static void released_name(const char *token, StrBuf *out)
{
    strbuf_printf(out, "lock_released_%s", token);
}

static int leave_released_record(Lock *lock, TransportResult *res)
{
    StrBuf sql = {0}, name = {0};
    released_name(lock->me.token, &name);
    strbuf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    sql_qualified(&sql, lock->db, strbuf_str(&name));
    strbuf_puts(&sql, " (released UInt8) ENGINE = Memory");
    int rc = conn_query_retrying(lock->conn, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    strbuf_free(&name);
    return rc;
}

int lock_released(Lock *lock, const LockHolder *holder)
{
    if (!is_token(holder->token))
        return 0;
    StrBuf sql = {0}, name = {0};
    released_name(holder->token, &name);
    strbuf_puts(&sql, "SELECT count() FROM ");
    if (lock->conn->hosts)
        hosts_remote_all(lock->conn->hosts, "system", "tables", &sql);
    else
        strbuf_puts(&sql, "system.tables");
    strbuf_puts(&sql, " WHERE database = ");
    sql_string(&sql, lock->db);
    strbuf_puts(&sql, " AND name = ");
    sql_string(&sql, strbuf_str(&name));
    Tsv rows;
    TransportResult res;
    int found = conn_select(lock->conn, strbuf_str(&sql), &rows, &res) == 0 && rows.n == 1
                && rows.rows[0].n == 1 && strcmp(rows.rows[0].fields[0], "0") != 0;
    tsv_free(&rows);        /* empty when the request failed */
    transport_result_free(&res);
    strbuf_free(&sql);
    strbuf_free(&name);
    return found;
}

/* The record is done with once its lock is broken: dropped on every host
 * that has it. Best effort: a record left over only names a lock that no
 * longer exists. */
static void drop_released_record(Lock *lock, const char *token)
{
    StrBuf sql = {0}, name = {0};
    released_name(token, &name);
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    sql_qualified(&sql, lock->db, strbuf_str(&name));
    on_cluster(lock, &sql);
    TransportResult res;
    conn_query_retrying(lock->conn, strbuf_str(&sql), NULL, &res);
    transport_result_free(&res);
    strbuf_free(&sql);
    strbuf_free(&name);
}

static void fill_me(Lock *lock, const char *who, const char *host, const char *plan_sha256)
{
    lock_holder_free(&lock->me);
    lock->me.token = new_token();
    lock->me.who = xstrdup(who);
    lock->me.host = xstrdup(host);
    lock->me.pid = (int64_t)getpid();
    lock->me.since = (int64_t)time(NULL);
    lock->me.plan = xstrdup(plan_sha256);
}

static int drop_sql_run(Lock *lock, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    sql_qualified(&sql, lock->db, REGISTRY_LOCK);
    on_cluster(lock, &sql);
    int rc = conn_query_retrying(lock->conn, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    return rc;
}

/* The ON CLUSTER CREATE timed out waiting for a host (159): it made the
 * lock on the hosts that answered, and the DDL queue makes it on the
 * others when they return. Not leaving it behind: the DROP goes into the
 * same queue after it, so every host drops what it made, in order. */
static void undo_timed_out_create(Lock *lock)
{
    LockHolder now;
    TransportResult res;
    int found = read_holder(lock, &now, &res);
    if (found < 0)
        transport_result_free(&res);
    if (found == 1 && strcmp(now.token, lock->me.token) == 0) {
        drop_sql_run(lock, &res);
        transport_result_free(&res);
    }
    lock_holder_free(&now);
}

/* The registry's CREATEs queued ahead of the lock's (lock.h,
 * make_registry): the database's when it was read as absent, the
 * history's and the objects view's. Returns 0 when all are queued; -1
 * when one could not be: the database is then made the waited way, and
 * the tables under the lock as on a single server (mvrun.c, read_state).
 * Whatever was queued runs anyway: every statement is IF NOT EXISTS. */
static int queue_registry(Lock *lock)
{
    Registry reg = {.conn = lock->enqueue, .db = lock->db, .cluster = lock->cluster};
    TransportResult res = {0};
    int rc = lock->make_database ? registry_create_database(&reg, &res) : 0;
    transport_result_free(&res);
    if (rc == 0) {
        rc = registry_create_tables(&reg, &res);
        transport_result_free(&res);
    }
    return rc;
}

LockStatus lock_acquire(Lock *lock, const char *who, const char *host, const char *plan_sha256,
                        int break_stale, LockHolder *holder, StrBuf *broke, TransportResult *res)
{
    memset(holder, 0, sizeof *holder);
    memset(res, 0, sizeof *res);
    fill_me(lock, who, host, plan_sha256);
    StrBuf sql = {0};
    create_sql(lock, &sql);
    LockStatus status = LOCK_FAILED;
    if (lock->make_registry && lock->enqueue && queue_registry(lock) == 0)
        lock->make_database = 0;        /* queued ahead of the lock's CREATE */
    if (lock->make_database) {
        Registry reg = {.conn = lock->conn, .db = lock->db, .cluster = lock->cluster};
        if (registry_create_database(&reg, res) != 0) {
            strbuf_free(&sql);
            return LOCK_FAILED;
        }
        transport_result_free(res);
    }
    /* Each turn changes something (database made, lock gone, lock
     * broken); a few turns settle any race. */
    for (int turn = 0; turn < 6; turn++) {
        if (conn_query_retrying(lock->conn, strbuf_str(&sql), NULL, res) == 0) {
            transport_result_free(res);
            lock->held = 1;
            status = LOCK_ACQUIRED;
            break;
        }
        if (res->code == CODE_UNKNOWN_DATABASE) {
            transport_result_free(res);
            Registry reg = {.conn = lock->conn, .db = lock->db, .cluster = lock->cluster};
            if (registry_create_database(&reg, res) != 0)
                break;
            transport_result_free(res);
            continue;
        }
        if (res->code != CODE_TABLE_EXISTS)
            break;
        transport_result_free(res);
        lock_holder_free(holder);
        int found = read_holder(lock, holder, res);
        if (found < 0)
            break;
        if (found == 0)
            continue;           /* released meanwhile: try again */
        if (holder->foreign) {
            status = LOCK_FOREIGN;
            break;
        }
        if (strcmp(holder->token, lock->me.token) == 0) {
            /* Our own CREATE, run by the server although its answer was
             * lost and the retry got 57. */
            lock_holder_free(holder);
            lock->held = 1;
            status = LOCK_ACQUIRED;
            break;
        }
        int released = lock_released(lock, holder);
        if (!break_stale && !released) {
            status = LOCK_HELD;
            break;
        }
        if (break_lock(lock, holder, res) != 0) {
            if (res->code != CODE_TABLE_EXISTS && res->code != CODE_UNKNOWN_TABLE)
                break;
            transport_result_free(res);    /* someone else moved it first */
        } else {
            transport_result_free(res);
            if (released) {
                drop_released_record(lock, holder->token);
                lock->took_released = 1;
            }
            if (broke->len)
                strbuf_puts(broke, "; ");
            lock_describe(holder, broke);
        }
        lock_holder_free(holder);
    }
    strbuf_free(&sql);
    if (status == LOCK_FAILED && conn_ddl_timed_out(lock->conn, res))
        undo_timed_out_create(lock);
    if (status == LOCK_FAILED && !res->message) {
        res->cls = TR_TRANSIENT;
        res->message = xstrdup("the lock changed hands too often to be taken; try again");
    }
    return status;
}

/* How many hosts show this run's lock: through remote() on every host,
 * or (every_host 0) on the connected one. -1 when they cannot be read. */
static long hosts_holding(Lock *lock, int every_host)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT count() FROM ");
    if (every_host)
        hosts_remote_all(lock->conn->hosts, "system", "columns", &sql);
    else
        strbuf_puts(&sql, "system.columns");
    strbuf_puts(&sql, " WHERE database = ");
    sql_string(&sql, lock->db);
    strbuf_printf(&sql, " AND table = '%s' AND name = 'token' AND position(default_expression, ", REGISTRY_LOCK);
    sql_string(&sql, lock->me.token);
    strbuf_puts(&sql, ") > 0");
    /* One attempt: a host that is down fails remote() at once, and is not
     * retried (the caller polls anyway). */
    Tsv rows = {0};
    TransportResult res;
    long n = conn_query(lock->conn, strbuf_str(&sql), NULL, &res) == 0
             && tsv_parse(res.body, res.body_len, &rows) == 0 && rows.n == 1 && rows.rows[0].n == 1
             ? strtol(rows.rows[0].fields[0], NULL, 10) : -1;
    tsv_free(&rows);
    transport_result_free(&res);
    strbuf_free(&sql);
    return n;
}

/* On a cluster: the DROP queued (lock->enqueue), then every host read
 * until none holds this run's lock. A waited ON CLUSTER DROP answers only
 * when the server's own polling of ZooKeeper, which backs off from 100 ms,
 * sees every host done; reading the hosts every 20 ms sees it sooner. The
 * DROP is queued once: a second one could drop the lock of a run that
 * took it in between. Returns 0 (dropped everywhere), 2 (a host does not
 * answer or has not dropped it within --ddl-timeout: dropped on the hosts
 * that answered, the queue keeps it for the others, as after a 159), or
 * -1 with *res when the DROP could not be queued (then the waited DROP is
 * sent instead, which says why). */
static int queued_drop(Lock *lock, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    sql_qualified(&sql, lock->db, REGISTRY_LOCK);
    on_cluster(lock, &sql);
    int rc = conn_query(lock->enqueue, strbuf_str(&sql), NULL, res);
    strbuf_free(&sql);
    if (rc != 0)
        return -1;
    transport_result_free(res);
    int64_t start = now_ms();
    int every_host = 1;
    for (;;) {
        long n = hosts_holding(lock, every_host);
        if (n == 0)
            return every_host ? 0 : 2;
        if (n < 0 && every_host) {
            every_host = 0;     /* a host down: the connected one at least drops it */
            continue;
        }
        if (now_ms() - start > lock->ddl_timeout_ms)
            return 2;
        conn_sleep(lock->conn, 20);
    }
}

int lock_release(Lock *lock, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (!lock->held)
        return 0;
    LockHolder now;
    int found = read_holder(lock, &now, res);
    if (found < 0)
        return -1;
    int ours = found == 1 && strcmp(now.token, lock->me.token) == 0;
    lock_holder_free(&now);
    lock->held = 0;
    if (!ours)
        return 1;
    if (lock->cluster && lock->enqueue && lock->conn->hosts) {
        int queued = queued_drop(lock, res);
        if (queued >= 0)
            return queued;
        transport_result_free(res);
    }
    int rc = drop_sql_run(lock, res);
    if (rc != 0 && conn_ddl_timed_out(lock->conn, res))
        return 2;       /* dropped where hosts answer; queued for the others */
    if (rc == 0)
        transport_result_free(res);
    if (rc != 0 && lock->cluster) {
        TransportResult mark;
        int left = leave_released_record(lock, &mark) == 0;
        transport_result_free(&mark);
        if (left)
            return 3;
    }
    return rc;
}

/* Another user's text, as it may reach a terminal: control bytes and
 * bytes above 0x7e as \xHH (a $USER may hold anything). */
static void put_shown(StrBuf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p >= 0x7f || *p == '\\')
            strbuf_printf(out, "\\x%02X", *p);
        else
            strbuf_putc(out, (char)*p);
    }
}

int lock_read(Lock *lock, LockHolder *holder, TransportResult *res)
{
    return read_holder(lock, holder, res);
}

void lock_describe(const LockHolder *h, StrBuf *out)
{
    char when[64] = "an unknown time";
    time_t since = (time_t)h->since;
    struct tm tm;
    if (h->since > 0 && gmtime_r(&since, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (h->who && *h->who)
        put_shown(out, h->who);
    else
        strbuf_puts(out, "someone unknown");
    strbuf_printf(out, " (pid %" PRId64 ") since %s", h->pid, when);
    if (h->plan && *h->plan) {
        char plan[13];
        snprintf(plan, sizeof plan, "%s", h->plan);
        strbuf_puts(out, ", applying plan ");
        put_shown(out, plan);
    }
}

void lock_holder_free(LockHolder *h)
{
    free(h->token);
    free(h->who);
    free(h->host);
    free(h->plan);
    memset(h, 0, sizeof *h);
}
