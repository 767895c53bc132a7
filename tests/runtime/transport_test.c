/* transport_test: the transports against real engines.
 *
 *   transport_test [--ch18 URL DIR SCRIPT] [--chdb DIR] [--fake HTTP HTTPS CACERT]
 *
 * The tests that need no engine always run (classification, reading
 * error texts, refused configurations, a missing chDB library). With
 * --ch18: the HTTP tests against the ClickHouse 18.16 server at URL,
 * which `SCRIPT start DIR` started (tests/engines/ch18.sh); the last ones
 * stop, kill and restart it with the same script, and leave it running.
 * With --chdb: the chDB tests, data in DIR. With --fake: tests against
 * tests/runtime/fake_ch.py at URLs HTTP and HTTPS (its certificate in
 * CACERT), for answers neither engine gives over HTTP here (newer
 * servers' exception header and framing, proxies, TLS).
 *
 * Prints `PASS name` or `FAIL name` (details indented below) per test and
 * exits 1 when any failed. tests/runtime/run.sh starts and stops the
 * engines around it.
 */
#include "transport.h"
#include "transport_impl.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long a test waits to connect: generous, since under valgrind on a
 * loaded machine a TLS handshake with the stand-in server took over 3 s.
 * No test waits for it to run out. */
#define CONNECT_TIMEOUT_MS 20000

typedef struct Env {
    const char *url, *dir, *script;     /* the 18.16 server, NULL: skip */
    const char *chdb_dir;               /* NULL: skip */
    const char *fake_http, *fake_https, *fake_ca;   /* fake_ch.py, NULL: skip */
    FILE *log;                          /* details of the test running */
    int failures;                       /* in the test running */
    int failed;                         /* tests that failed */
} Env;

/* ---- Harness ------------------------------------------------------------------ */

static void note(Env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(Env *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(e->log, fmt, ap);
    va_end(ap);
}

static void show(Env *e, const TransportResult *r)
{
    note(e, "    result: ok=%d class=%s code=%d http=%ld new_connections=%ld\n", r->ok,
         transport_class_name(r->cls), r->code, r->http_status, r->new_connections);
    if (r->message)
        note(e, "    message: %.400s\n", r->message);
    if (r->body)
        note(e, "    body: %.400s\n", r->body);
}

static void expect(Env *e, int ok, const char *what, int line)
{
    if (!ok) {
        note(e, "    transport_test.c:%d: expected %s\n", line, what);
        e->failures++;
    }
}

#define EXPECT(e, cond) expect((e), (cond) != 0, #cond, __LINE__)
/* On failure also shows the result the condition was about. */
#define EXPECT_R(e, r, cond)                                                               \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            expect((e), 0, #cond, __LINE__);                                               \
            show((e), &(r));                                                               \
        }                                                                                  \
    } while (0)

typedef void (*TestFn)(Env *e);

static void run_test(Env *e, const char *name, TestFn fn)
{
    char *details = NULL;
    size_t size = 0;
    e->log = open_memstream(&details, &size);
    if (!e->log) {
        printf("FAIL %s\n    open_memstream failed\n", name);
        e->failed++;
        return;
    }
    e->failures = 0;
    fn(e);
    fclose(e->log);
    printf("%s %s\n%s", e->failures ? "FAIL" : "PASS", name, e->failures ? details : "");
    fflush(stdout);
    free(details);
    e->failed += e->failures != 0;
}

static int contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Opens cfg; on failure notes why and returns NULL. */
static Transport *open_cfg(Env *e, const TransportConfig *cfg)
{
    Transport *t = NULL;
    TransportError err;
    if (transport_open(cfg, &t, &err) != 0) {
        note(e, "    transport_open(%s): %s: %s\n", cfg->url, transport_class_name(err.cls),
             err.message);
        e->failures++;
        return NULL;
    }
    return t;
}

static TransportResult query(Transport *t, const char *sql, const char *query_id)
{
    TransportResult r;
    transport_query(t, sql, strlen(sql), query_id, &r);
    return r;
}

/* Runs sql and expects success, returning the body for the caller to free. */
static char *must(Env *e, Transport *t, const char *sql)
{
    TransportResult r = query(t, sql, NULL);
    if (!r.ok) {
        note(e, "    statement failed: %.200s\n", sql);
        show(e, &r);
        e->failures++;
    }
    char *body = r.body;
    r.body = NULL;
    transport_result_free(&r);
    return body;
}

static int body_is(Env *e, Transport *t, const char *sql, const char *want)
{
    char *got = must(e, t, sql);
    int same = got && strcmp(got, want) == 0;
    if (got && !same)
        note(e, "    %.200s\n      got:  [%s]\n      want: [%s]\n", sql, got, want);
    free(got);
    e->failures += got && !same;
    return same;
}

/* ---- Without an engine ------------------------------------------------------------ */

static void test_classify(Env *e)
{
    static const struct { int code; long status; TransportClass want; } cases[] = {
        {62, 400, TR_PERMANENT}, {60, 404, TR_PERMANENT}, {57, 500, TR_PERMANENT},
        {53, 500, TR_PERMANENT}, {497, 403, TR_PERMANENT}, {159, 500, TR_TRANSIENT},
        {252, 500, TR_TRANSIENT}, {242, 500, TR_TRANSIENT}, {999, 500, TR_TRANSIENT},
        {1000, 0, TR_TRANSIENT}, {193, 401, TR_AUTH}, {192, 401, TR_AUTH},
        {194, 0, TR_AUTH}, {516, 403, TR_AUTH}, {0, 401, TR_AUTH}, {0, 403, TR_AUTH},
        {0, 502, TR_TRANSIENT}, {0, 503, TR_TRANSIENT}, {0, 500, TR_TRANSIENT},
        {0, 408, TR_TRANSIENT}, {0, 429, TR_TRANSIENT}, {0, 404, TR_PERMANENT},
        {0, 0, TR_PERMANENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        TransportClass got = transport_classify(cases[i].code, cases[i].status);
        if (got != cases[i].want) {
            note(e, "    code %d, HTTP %ld: got %s, want %s\n", cases[i].code, cases[i].status,
                 transport_class_name(got), transport_class_name(cases[i].want));
            e->failures++;
        }
    }
}

static int code_of(const char *text)
{
    return transport_error_code(text, strlen(text));
}

static void test_error_code(Env *e)
{
    EXPECT(e, code_of("Code: 60, e.displayText() = DB::Exception: Table default.x doesn't exist.") == 60);
    EXPECT(e, code_of("Code: 62. DB::Exception: Syntax error: failed at position 1") == 62);
    EXPECT(e, code_of("Received exception\nCode: 252. DB::Exception: Too many parts") == 252);
    EXPECT(e, code_of("Code: 1000, e.displayText() = Poco::Exception") == 1000);
    EXPECT(e, code_of("xCode: 60. DB::Exception") == 0);
    EXPECT(e, code_of("Code: 60 DB::Exception") == 0);
    EXPECT(e, code_of("Code: . DB::Exception") == 0);
    EXPECT(e, code_of("Code: 60") == 0);
    EXPECT(e, code_of("") == 0);
}

/* The tail of a real 18.16 answer without wait_end_of_query: rows, then
 * the exception as the last line, with status 200. */
static const char body_18_16[] =
    "0\n0\n0\nCode: 395, e.displayText() = DB::Exception: Value passed to 'throwIf' function "
    "is non zero, e.what() = DB::Exception\n";

static int trailing(const char *body, const char *tag, char *msg, size_t size)
{
    const char *m;
    size_t n;
    if (!transport_trailing_exception(body, strlen(body), tag, &m, &n))
        return 0;
    snprintf(msg, size, "%.*s", (int)n, m);
    return 1;
}

static void test_trailing_exception(Env *e)
{
    char msg[256];
    EXPECT(e, trailing(body_18_16, NULL, msg, sizeof msg));
    EXPECT(e, starts_with(msg, "Code: 395, e.displayText() = DB::Exception: Value passed"));
    EXPECT(e, transport_error_code(msg, strlen(msg)) == 395);
    /* 25.11 and later: a tagged block ends the body. */
    const char *framed = "1\n2\n\r\n__exception__\r\nQ7fXa0b1c2d3e4f5\r\n"
                         "Code: 395. DB::Exception: boom. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)\n"
                         "69 Q7fXa0b1c2d3e4f5\r\n__exception__\r\n";
    EXPECT(e, trailing(framed, "Q7fXa0b1c2d3e4f5", msg, sizeof msg));
    EXPECT(e, strcmp(msg, "Code: 395. DB::Exception: boom. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)") == 0);
    EXPECT(e, trailing(framed, NULL, msg, sizeof msg));
    EXPECT(e, !trailing(framed, "AAAAAAAAAAAAAAAA", msg, sizeof msg));
    /* Ordinary answers. */
    EXPECT(e, !trailing("1\n2\n", NULL, msg, sizeof msg));
    EXPECT(e, !trailing("", NULL, msg, sizeof msg));
    EXPECT(e, !trailing("Code: 1, some data\n", NULL, msg, sizeof msg));
    EXPECT(e, !trailing("Code: 60, e.displayText() = DB::Exception: x\n1\n", NULL, msg, sizeof msg));
}

static void test_scrub(Env *e)
{
    char *s = transport_scrub(strdup("user mvd: pw hunter2 and hunter2!"), "hunter2");
    EXPECT(e, s && strcmp(s, "user mvd: pw *** and ***!") == 0);
    free(s);
    s = transport_scrub(strdup("nothing here"), "hunter2");
    EXPECT(e, s && strcmp(s, "nothing here") == 0);
    free(s);
    EXPECT(e, transport_scrub(NULL, "x") == NULL);
}

/* Expects transport_open to refuse cfg with class cls and a message
 * holding want and not the secret. */
static void expect_refused(Env *e, const TransportConfig *cfg, TransportClass cls,
                           const char *want, const char *secret)
{
    Transport *t = NULL;
    TransportError err;
    int rc = transport_open(cfg, &t, &err);
    EXPECT(e, rc == -1 && t == NULL);
    if (err.cls != cls || !contains(err.message, want) || (secret && contains(err.message, secret))) {
        note(e, "    %s: got %s \"%s\", want %s with \"%s\"\n", cfg->url ? cfg->url : "(null)",
             transport_class_name(err.cls), err.message, transport_class_name(cls), want);
        e->failures++;
    }
    transport_close(t);
}

static void test_refused_configs(Env *e)
{
    TransportConfig c = {0};
    expect_refused(e, &c, TR_PERMANENT, "no URL", NULL);
    c.url = "ftp://u:pw-in-url@host/";
    expect_refused(e, &c, TR_PERMANENT, "unsupported URL scheme 'ftp'", "pw-in-url");
    c.url = "http://mvd:mvd-secret@127.0.0.1:1/";
    expect_refused(e, &c, TR_PERMANENT, "must not carry a user or password", "mvd-secret");
    c.url = "http://127.0.0.1:1/?user=mvd&password=mvd-secret";
    expect_refused(e, &c, TR_PERMANENT, "must not carry a user or password", "mvd-secret");
    c.url = "http://127.0.0.1:1/#x";
    expect_refused(e, &c, TR_PERMANENT, "#fragment", NULL);
    c.url = "chdb:";
    expect_refused(e, &c, TR_PERMANENT, "needs a directory", NULL);
    TransportSetting bad_name = {"max threads", "1"}, reserved = {"query_id", "x"};
    c.url = "http://127.0.0.1:1/";
    c.settings = &bad_name;
    c.n_settings = 1;
    expect_refused(e, &c, TR_PERMANENT, "not a plain identifier", NULL);
    c.settings = &reserved;
    expect_refused(e, &c, TR_PERMANENT, "set by the transport itself", NULL);
}

static void test_chdb_missing_library(Env *e)
{
    TransportConfig c = {0};
    c.url = "chdb:/tmp/mvd-never-created";
    c.chdb_lib = "/nonexistent/libchdb.so";
    expect_refused(e, &c, TR_CONNECT, "chDB library /nonexistent/libchdb.so (from the configuration): "
                                      "no such file; install it with `make deps`", NULL);
    c.chdb_lib = NULL;
    char *saved = getenv("MVRUN_CHDB_LIB") ? strdup(getenv("MVRUN_CHDB_LIB")) : NULL;
    setenv("MVRUN_CHDB_LIB", "/nonexistent/env/libchdb.so", 1);
    expect_refused(e, &c, TR_CONNECT, "/nonexistent/env/libchdb.so (from MVRUN_CHDB_LIB): no such file", NULL);
    if (saved)
        setenv("MVRUN_CHDB_LIB", saved, 1);
    else
        unsetenv("MVRUN_CHDB_LIB");
    free(saved);
    struct stat st;
    EXPECT(e, stat("/tmp/mvd-never-created", &st) != 0);
}

static void test_result_free(Env *e)
{
    TransportResult r;
    memset(&r, 0, sizeof r);
    transport_result_free(&r);
    transport_result_free(&r);
    transport_result_free(NULL);
    transport_close(NULL);
    EXPECT(e, r.body == NULL && r.message == NULL);
}

/* ---- ClickHouse 18.16 over HTTP ------------------------------------------------------ */

static TransportConfig ch18(const Env *e, const char *user, const char *password)
{
    TransportConfig c = {0};
    c.url = e->url;
    c.user = user;
    c.password = password;
    c.connect_timeout_ms = CONNECT_TIMEOUT_MS;
    c.request_timeout_ms = 30000;
    return c;
}

static void test_http_version(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT version()", NULL);
    EXPECT_R(e, r, r.ok && r.cls == TR_OK && r.code == 0 && r.message == NULL);
    EXPECT_R(e, r, r.body && strcmp(r.body, "18.16.1\n") == 0 && r.body_len == 8);
    EXPECT_R(e, r, r.http_status == 200 && r.new_connections == 1);
    transport_result_free(&r);
    transport_close(t);
}

/* One TCP connection for every statement, errors included: libcurl
 * reports 0 new connections for a statement that reused one. */
static void test_http_reuse(Env *e)
{
    TransportConfig c = ch18(e, "mvd", "mvd-secret");
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    const char *sql[] = {"SELECT 1", "SELECT 2", "SELEC 3", "SELECT * FROM no_such_table", "SELECT 4"};
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        TransportResult r = query(t, sql[i], NULL);
        EXPECT_R(e, r, r.new_connections == (i == 0 ? 1 : 0));
        transport_result_free(&r);
    }
    transport_close(t);
}

static void test_http_round_trip(Env *e)
{
    TransportConfig c = ch18(e, "mvd", "mvd-secret");
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    free(must(e, t, "DROP TABLE IF EXISTS default.rt"));
    free(must(e, t, "CREATE TABLE default.rt (id UInt64, s String) ENGINE = MergeTree ORDER BY id"));
    char *body = must(e, t, "INSERT INTO default.rt VALUES (1, 'a'), (2, 'tab\there')");
    EXPECT(e, body && *body == '\0');
    free(body);
    body_is(e, t, "SELECT id, s FROM default.rt ORDER BY id", "1\ta\n2\ttab\\there\n");
    transport_close(t);
}

/* A statement of ~130 KB, passed with a length and no NUL after it. */
static void test_http_long_statement(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    free(must(e, t, "DROP TABLE IF EXISTS default.big"));
    free(must(e, t, "CREATE TABLE default.big (id UInt64) ENGINE = Memory"));
    size_t cap = 400000, n = 0;
    char *sql = malloc(cap);
    n += (size_t)snprintf(sql, cap, "INSERT INTO default.big VALUES ");
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(sql + n, cap - n, "%s(%d)", i ? "," : "", i);
    memcpy(sql + n, " GARBAGE THAT IS NOT SENT", 26);
    TransportResult r;
    transport_query(t, sql, n, NULL, &r);
    EXPECT_R(e, r, r.ok && r.new_connections == 0);
    EXPECT(e, n > 100000);
    transport_result_free(&r);
    free(sql);
    body_is(e, t, "SELECT count(), sum(id) FROM default.big", "20000\t199990000\n");
    transport_close(t);
}

static void test_http_syntax_error(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELEC 1", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_PERMANENT && r.code == 62 && r.http_status == 400);
    EXPECT_R(e, r, starts_with(r.message, "Code: 62, e.displayText() = DB::Exception: Syntax error: "
                                          "failed at position 1"));
    EXPECT_R(e, r, r.body == NULL && r.message[strlen(r.message) - 1] != '\n');
    transport_result_free(&r);
    /* 18.16 refuses two statements in one request. */
    r = query(t, "SELECT 1; SELECT 2", NULL);
    EXPECT_R(e, r, r.code == 62 && contains(r.message, "Multi-statements are not allowed"));
    transport_result_free(&r);
    transport_close(t);
}

static void test_http_unknown_table(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT * FROM default.no_such_table", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_PERMANENT && r.code == 60 && r.http_status == 404);
    EXPECT_R(e, r, contains(r.message, "Table default.no_such_table doesn't exist"));
    transport_result_free(&r);
    transport_close(t);
}

/* 18.16 sends 500 for plainly permanent errors: the code decides. */
static void test_http_permanent_500(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    free(must(e, t, "CREATE TABLE IF NOT EXISTS default.p500 (a UInt8) ENGINE = Memory"));
    TransportResult r = query(t, "INSERT INTO default.p500 VALUES ('x')", NULL);
    EXPECT_R(e, r, r.code == 53 && r.http_status == 500 && r.cls == TR_PERMANENT);
    transport_result_free(&r);
    r = query(t, "CREATE TABLE default.p500 (a UInt8) ENGINE = Memory", NULL);
    EXPECT_R(e, r, r.code == 57 && r.http_status == 500 && r.cls == TR_PERMANENT);
    transport_result_free(&r);
    transport_close(t);
}

static void test_http_wrong_password(Env *e)
{
    const char *secret = "Wr0ng-Secret-7731";
    TransportConfig c = ch18(e, "mvd", secret);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT 1", "wrong-password-test");
    EXPECT_R(e, r, !r.ok && r.cls == TR_AUTH && r.code == 193 && r.http_status == 401);
    EXPECT_R(e, r, contains(r.message, "Wrong password for user mvd"));
    EXPECT_R(e, r, !contains(r.message, secret) && r.body == NULL);
    transport_result_free(&r);
    transport_close(t);
    c = ch18(e, "nobody", secret);
    if (!(t = open_cfg(e, &c)))
        return;
    r = query(t, "SELECT 1", NULL);
    EXPECT_R(e, r, r.cls == TR_AUTH && r.code == 192 && !contains(r.message, secret));
    transport_result_free(&r);
    transport_close(t);
}

/* The server decodes query_id and the extra settings from the URL: the
 * statement sees its own id in system.processes, and with log_queries=1
 * (an extra setting) system.query_log has it. */
static void test_http_query_id(Env *e)
{
    TransportSetting log = {"log_queries", "1"};
    TransportConfig c = ch18(e, NULL, NULL);
    c.settings = &log;
    c.n_settings = 1;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    char qid[64], sql[256], want[80];
    snprintf(qid, sizeof qid, "mvd-test/%ld a&b=c+d%%", (long)getpid());
    snprintf(sql, sizeof sql, "SELECT query_id FROM system.processes WHERE query_id = '%s'", qid);
    snprintf(want, sizeof want, "%s\n", qid);
    TransportResult r = query(t, sql, qid);
    EXPECT_R(e, r, r.ok && r.body && strcmp(r.body, want) == 0);
    transport_result_free(&r);
    /* QueryStart (type 1) only: 18.16 logs QueryFinish after the answer
     * has gone out, so it may miss this flush. And 18.16's FLUSH LOGS
     * writes what its log thread has taken from the queue, which may not
     * hold the entry yet (seen under load): ask again for a few seconds. */
    snprintf(sql, sizeof sql,
             "SELECT count() FROM system.query_log WHERE query_id = '%s' AND type = 1", qid);
    char *got = NULL;
    for (int i = 0; i < 50; i++) {
        free(must(e, t, "SYSTEM FLUSH LOGS"));
        free(got);
        got = must(e, t, sql);
        if (!got || strcmp(got, "1\n") == 0)
            break;
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    if (got && strcmp(got, "1\n") != 0) {
        note(e, "    %.200s\n      got:  [%s]\n      want: [1]\n", sql, got);
        e->failures++;
    }
    free(got);
    transport_close(t);
}

static void test_http_unknown_setting(Env *e)
{
    TransportSetting bogus = {"no_such_setting", "1"};
    TransportConfig c = ch18(e, NULL, NULL);
    c.settings = &bogus;
    c.n_settings = 1;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT 1", NULL);
    EXPECT_R(e, r, r.code == 115 && r.cls == TR_PERMANENT && contains(r.message, "no_such_setting"));
    transport_result_free(&r);
    transport_close(t);
}

/* The request went out, so the statement may have run: transient, not
 * connect. */
static void test_http_timeout(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    c.request_timeout_ms = 500;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT sleep(2)", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_TRANSIENT && r.code == 0 && r.http_status == 0);
    EXPECT_R(e, r, contains(r.message, "timed out") && contains(r.message, "may have run"));
    transport_result_free(&r);
    transport_close(t);
}

static void expect_connect_failure(Env *e, const char *url, const char *cacert, const char *want)
{
    TransportConfig c = {0};
    c.url = url;
    c.user = "mvd";
    c.password = "mvd-secret";
    c.cacert = cacert;
    c.connect_timeout_ms = CONNECT_TIMEOUT_MS;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT 1", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_CONNECT && r.http_status == 0 && r.code == 0);
    EXPECT_R(e, r, contains(r.message, want) && !contains(r.message, "mvd-secret"));
    transport_result_free(&r);
    transport_close(t);
}

static void test_http_dns_failure(Env *e)
{
    expect_connect_failure(e, "http://no-such-host.invalid:8123", NULL,
                           "cannot connect to http://no-such-host.invalid:8123/: ");
}

/* TLS spoken to a plain HTTP port, and a CA file that is not there: the
 * handshake fails before any statement leaves. */
static void test_https_failures(Env *e)
{
    char url[256];
    snprintf(url, sizeof url, "https://%s", e->url + strlen("http://"));
    expect_connect_failure(e, url, NULL, "cannot connect to https://");
    expect_connect_failure(e, url, "/nonexistent/ca.pem", "cannot connect to https://");
}

static int ch18_run(Env *e, const char *action)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s' %s '%s' > /dev/null", e->script, action, e->dir);
    int rc = system(cmd);
    if (rc != 0) {
        note(e, "    %s failed (%d)\n", cmd, rc);
        e->failures++;
    }
    return rc;
}

/* A stopped server: TR_CONNECT on the same Transport, which reconnects
 * by itself once the server is back. */
static void test_http_stopped_server(Env *e)
{
    TransportConfig c = ch18(e, "mvd", "mvd-secret");
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    body_is(e, t, "SELECT 1", "1\n");
    if (ch18_run(e, "stop") == 0) {
        TransportResult r = query(t, "SELECT 1", NULL);
        char want[256];
        snprintf(want, sizeof want, "cannot connect to %s/: ", e->url);
        EXPECT_R(e, r, !r.ok && r.cls == TR_CONNECT && r.http_status == 0);
        EXPECT_R(e, r, starts_with(r.message, want) && contains(r.message, "Failed to connect"));
        transport_result_free(&r);
    }
    if (ch18_run(e, "start") == 0) {
        TransportResult r = query(t, "SELECT 2", NULL);
        EXPECT_R(e, r, r.ok && r.new_connections == 1 && strcmp(r.body, "2\n") == 0);
        transport_result_free(&r);
    }
    transport_close(t);
}

/* A server killed while a statement runs: the request had gone out, so
 * TR_TRANSIENT ("may have run"), not TR_CONNECT. */
static void test_http_killed_mid_statement(Env *e)
{
    TransportConfig c = ch18(e, NULL, NULL);
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    char marker[1024], cmd[2048];
    snprintf(marker, sizeof marker, "%s/killed", e->dir);
    unlink(marker);
    snprintf(cmd, sizeof cmd, "(sleep 1; bash '%s' kill '%s'; touch '%s') > /dev/null 2>&1 &",
             e->script, e->dir, marker);
    if (system(cmd) != 0) {
        note(e, "    %s failed\n", cmd);
        e->failures++;
    }
    TransportResult r = query(t, "SELECT sleep(3)", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_TRANSIENT && contains(r.message, "may have run"));
    transport_result_free(&r);
    /* Wait for the kill script to finish before starting again: it
     * removes the pid file when done. */
    struct stat st;
    struct timespec tenth = {0, 100000000};
    for (int i = 0; i < 300 && stat(marker, &st) != 0; i++)
        nanosleep(&tenth, NULL);
    unlink(marker);
    if (ch18_run(e, "start") == 0)
        body_is(e, t, "SELECT 3", "3\n");
    transport_close(t);
}

/* ---- chDB ---------------------------------------------------------------------------- */

static Transport *open_chdb(Env *e, const TransportSetting *settings, size_t n)
{
    char url[1024];
    snprintf(url, sizeof url, "chdb:%s", e->chdb_dir);
    TransportConfig c = {0};
    c.url = url;
    c.settings = settings;
    c.n_settings = n;
    return open_cfg(e, &c);
}

/* Another process holds the directory: the open fails with chDB's own
 * reason (code 76), which chDB writes to fd 2 and the transport turns
 * into the message. Runs before this process loads chDB: the holder is a
 * fork of it. */
static void hold_directory(const char *url, int ready_fd, int release_fd)
{
    TransportConfig c = {0};
    c.url = url;
    Transport *t = NULL;
    TransportError err;
    char ok = transport_open(&c, &t, &err) == 0 ? 'y' : 'n';
    if (write(ready_fd, &ok, 1) == 1)
        (void)!read(release_fd, &ok, 1);        /* until the parent closes it */
    transport_close(t);
    _exit(0);
}

static void test_chdb_directory_in_use(Env *e)
{
    char url[1024];
    snprintf(url, sizeof url, "chdb:%s", e->chdb_dir);
    int ready[2], release[2];
    if (pipe(ready) != 0 || pipe(release) != 0) {
        note(e, "    pipe failed\n");
        e->failures++;
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        hold_directory(url, ready[1], release[0]);
    }
    close(ready[1]);
    close(release[0]);
    char ok = 'n';
    EXPECT(e, pid > 0 && read(ready[0], &ok, 1) == 1 && ok == 'y');
    TransportConfig c = {0};
    c.url = url;
    expect_refused(e, &c, TR_CONNECT, "Code: 76. DB::Exception: Cannot lock file", NULL);
    close(release[1]);
    close(ready[0]);
    int status = 0;
    EXPECT(e, pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
}

static void test_chdb_version(Env *e)
{
    Transport *t = open_chdb(e, NULL, 0);
    if (!t)
        return;
    TransportResult r = query(t, "SELECT version()", "ignored-by-chdb");
    EXPECT_R(e, r, r.ok && r.cls == TR_OK && starts_with(r.body, "26."));
    EXPECT_R(e, r, r.http_status == 0 && r.new_connections == 0 && r.body[r.body_len - 1] == '\n');
    transport_result_free(&r);
    transport_close(t);
}

static void test_chdb_round_trip(Env *e)
{
    Transport *t = open_chdb(e, NULL, 0);
    if (!t)
        return;
    free(must(e, t, "DROP TABLE IF EXISTS default.rt"));
    free(must(e, t, "CREATE TABLE default.rt (id UInt64, s String) ENGINE = MergeTree ORDER BY id"));
    free(must(e, t, "INSERT INTO default.rt VALUES (1, 'a'), (2, 'tab\there')"));
    body_is(e, t, "SELECT id, s FROM default.rt ORDER BY id", "1\ta\n2\ttab\\there\n");
    const char sql[] = "SELECT count() FROM default.rt; DROP TABLE default.rt";
    TransportResult r;
    transport_query(t, sql, strlen("SELECT count() FROM default.rt"), NULL, &r);
    EXPECT_R(e, r, r.ok && strcmp(r.body, "2\n") == 0);
    transport_result_free(&r);
    transport_close(t);
}

static void test_chdb_errors(Env *e)
{
    Transport *t = open_chdb(e, NULL, 0);
    if (!t)
        return;
    TransportResult r = query(t, "SELEC 1", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_PERMANENT && r.code == 62 && r.body == NULL);
    EXPECT_R(e, r, starts_with(r.message, "Code: 62. DB::Exception: Syntax error"));
    transport_result_free(&r);
    r = query(t, "SELECT * FROM default.no_such_table", NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_PERMANENT && r.code == 60 && contains(r.message, "UNKNOWN_TABLE"));
    transport_result_free(&r);
    transport_close(t);
}

/* Settings are SET once per connection; the data outlives the
 * connection; a bad setting fails the open with the server's code. */
static void test_chdb_settings_and_reopen(Env *e)
{
    TransportSetting s[] = {{"max_threads", "3"}, {"log_comment", "it's mvd\\"}};
    Transport *t = open_chdb(e, s, 2);
    if (!t)
        return;
    body_is(e, t, "SELECT getSetting('max_threads'), getSetting('log_comment')", "3\tit\\'s mvd\\\\\n");
    body_is(e, t, "SELECT count() FROM default.rt", "2\n");
    transport_close(t);
    char url[1024];
    snprintf(url, sizeof url, "chdb:%s", e->chdb_dir);
    TransportSetting bogus = {"no_such_setting", "1"};
    TransportConfig c = {0};
    c.url = url;
    c.settings = &bogus;
    c.n_settings = 1;
    expect_refused(e, &c, TR_PERMANENT, "setting no_such_setting: Code: 115. DB::Exception", NULL);
}

/* ---- The stand-in server (fake_ch.py) -------------------------------------------------- */

static TransportResult fake_query(Env *e, const char *url, const char *sql)
{
    TransportConfig c = {0};
    c.url = url;
    c.connect_timeout_ms = CONNECT_TIMEOUT_MS;
    Transport *t = open_cfg(e, &c);
    TransportResult r;
    memset(&r, 0, sizeof r);
    if (t)
        transport_query(t, sql, strlen(sql), NULL, &r);
    transport_close(t);
    return r;
}

/* What goes over the wire: a POST of the statement, text/plain, no
 * `Expect:`, basic auth, settings then query_id then wait_end_of_query
 * URL-encoded after the URL's own parameters. */
static void test_fake_request_shape(Env *e)
{
    char url[512], want[1024];
    snprintf(url, sizeof url, "%s/?database=default", e->fake_http);
    TransportSetting s = {"log_comment", "a b&c"};
    TransportConfig c = {0};
    c.url = url;
    c.user = "mvd";
    c.password = "pw-Echo-123";
    c.settings = &s;
    c.n_settings = 1;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    TransportResult r = query(t, "ECHO", "id 1/2&x=y");
    snprintf(want, sizeof want,
             "method=POST\npath=/?database=default&log_comment=a%%20b%%26c&query_id=id%%201%%2F2%%26x%%3Dy"
             "&wait_end_of_query=1\ncontent-type=text/plain; charset=UTF-8\nexpect=(none)\n"
             "user=mvd\nbody=ECHO\n");
    EXPECT_R(e, r, r.ok && r.body && strcmp(r.body, want) == 0);
    transport_result_free(&r);
    transport_close(t);
}

static void test_fake_trailing_exceptions(Env *e)
{
    TransportResult r = fake_query(e, e->fake_http, "LEGACY_TRAILING");
    EXPECT_R(e, r, !r.ok && r.http_status == 200 && r.code == 395 && r.cls == TR_PERMANENT);
    EXPECT_R(e, r, starts_with(r.message, "Code: 395, e.displayText() = DB::Exception: Value passed"));
    EXPECT_R(e, r, r.body == NULL);
    transport_result_free(&r);
    r = fake_query(e, e->fake_http, "FRAMED_TRAILING");
    EXPECT_R(e, r, !r.ok && r.http_status == 200 && r.code == 395 && r.cls == TR_PERMANENT);
    EXPECT_R(e, r, r.message && strcmp(r.message, "Code: 395. DB::Exception: boom. "
                                                  "(FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)") == 0);
    transport_result_free(&r);
}

static void test_fake_status_and_header(Env *e)
{
    TransportResult r = fake_query(e, e->fake_http, "HEADER_CODE");
    EXPECT_R(e, r, r.code == 241 && r.cls == TR_TRANSIENT && r.http_status == 500);
    transport_result_free(&r);
    r = fake_query(e, e->fake_http, "HEADER_ONLY_CODE");
    EXPECT_R(e, r, r.code == 202 && r.cls == TR_TRANSIENT && strcmp(r.message, "Too many simultaneous queries") == 0);
    transport_result_free(&r);
    r = fake_query(e, e->fake_http, "PROXY_503");
    EXPECT_R(e, r, r.code == 0 && r.cls == TR_TRANSIENT && r.http_status == 503);
    EXPECT_R(e, r, starts_with(r.message, "HTTP 503 from http://127.0.0.1:")
                       && contains(r.message, "/: <html><body>Service Unavailable</body></html>"));
    transport_result_free(&r);
    r = fake_query(e, e->fake_http, "MODERN_AUTH");
    EXPECT_R(e, r, r.code == 516 && r.cls == TR_AUTH && r.http_status == 403);
    transport_result_free(&r);
}

/* A connection that dies after the statement went out, on a server that
 * is still there: libcurl would send the statement again on a new
 * connection by itself; the transport must not let it (the statement may
 * have run) and must say so. The stand-in counts what it received. */
static void test_fake_no_silent_resend(Env *e)
{
    TransportConfig c = {0};
    c.url = e->fake_http;
    Transport *t = open_cfg(e, &c);
    if (!t)
        return;
    char key[64], count[80];
    snprintf(key, sizeof key, "DROP_ONCE %ld", (long)getpid());
    snprintf(count, sizeof count, "COUNT %s", key);
    body_is(e, t, "SELECT 1", "1\n");         /* the connection to reuse */
    TransportResult r = query(t, key, NULL);
    EXPECT_R(e, r, !r.ok && r.cls == TR_TRANSIENT && contains(r.message, "may have run"));
    transport_result_free(&r);
    body_is(e, t, count, "1\n");
    transport_close(t);
}

/* A self-signed certificate: refused by default, accepted with its CA
 * file or with insecure. */
static void test_tls_verification(Env *e)
{
    TransportConfig c = {0};
    c.url = e->fake_https;
    c.connect_timeout_ms = CONNECT_TIMEOUT_MS;
    for (int mode = 0; mode < 3; mode++) {
        c.cacert = mode == 1 ? e->fake_ca : NULL;
        c.insecure = mode == 2;
        Transport *t = open_cfg(e, &c);
        if (!t)
            return;
        TransportResult r = query(t, "SELECT 1", NULL);
        if (mode == 0)
            EXPECT_R(e, r, !r.ok && r.cls == TR_CONNECT && contains(r.message, "certificate"));
        else
            EXPECT_R(e, r, r.ok && strcmp(r.body, "1\n") == 0);
        transport_result_free(&r);
        transport_close(t);
    }
}

/* ---- Main ----------------------------------------------------------------------------- */

static int parse_args(int argc, char **argv, Env *e)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ch18") == 0 && i + 3 < argc) {
            e->url = argv[++i];
            e->dir = argv[++i];
            e->script = argv[++i];
        } else if (strcmp(argv[i], "--fake") == 0 && i + 3 < argc) {
            e->fake_http = argv[++i];
            e->fake_https = argv[++i];
            e->fake_ca = argv[++i];
        } else if (strcmp(argv[i], "--chdb") == 0 && i + 1 < argc) {
            e->chdb_dir = argv[++i];
        } else {
            fprintf(stderr, "usage: transport_test [--ch18 URL DIR SCRIPT] [--chdb DIR] "
                            "[--fake HTTP HTTPS CACERT]\n");
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    Env e = {0};
    if (parse_args(argc, argv, &e) != 0)
        return 2;
    /* Once per process, by the program rather than the library. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "transport_test: curl_global_init failed\n");
        return 2;
    }
    run_test(&e, "classify", test_classify);
    run_test(&e, "error-code", test_error_code);
    run_test(&e, "trailing-exception", test_trailing_exception);
    run_test(&e, "scrub", test_scrub);
    run_test(&e, "refused-configs", test_refused_configs);
    run_test(&e, "chdb-missing-library", test_chdb_missing_library);
    run_test(&e, "result-free", test_result_free);
    if (e.url) {
        run_test(&e, "http-version", test_http_version);
        run_test(&e, "http-reuse", test_http_reuse);
        run_test(&e, "http-round-trip", test_http_round_trip);
        run_test(&e, "http-long-statement", test_http_long_statement);
        run_test(&e, "http-syntax-error", test_http_syntax_error);
        run_test(&e, "http-unknown-table", test_http_unknown_table);
        run_test(&e, "http-permanent-500", test_http_permanent_500);
        run_test(&e, "http-wrong-password", test_http_wrong_password);
        run_test(&e, "http-query-id", test_http_query_id);
        run_test(&e, "http-unknown-setting", test_http_unknown_setting);
        run_test(&e, "http-timeout", test_http_timeout);
        run_test(&e, "http-dns-failure", test_http_dns_failure);
        run_test(&e, "https-failures", test_https_failures);
        run_test(&e, "http-stopped-server", test_http_stopped_server);
        run_test(&e, "http-killed-mid-statement", test_http_killed_mid_statement);
    }
    if (e.chdb_dir) {
        run_test(&e, "chdb-directory-in-use", test_chdb_directory_in_use);
        run_test(&e, "chdb-version", test_chdb_version);
        run_test(&e, "chdb-round-trip", test_chdb_round_trip);
        run_test(&e, "chdb-errors", test_chdb_errors);
        run_test(&e, "chdb-settings-and-reopen", test_chdb_settings_and_reopen);
    }
    if (e.fake_http) {
        run_test(&e, "fake-request-shape", test_fake_request_shape);
        run_test(&e, "fake-trailing-exceptions", test_fake_trailing_exceptions);
        run_test(&e, "fake-status-and-header", test_fake_status_and_header);
        run_test(&e, "fake-no-silent-resend", test_fake_no_silent_resend);
        run_test(&e, "tls-verification", test_tls_verification);
    }
    curl_global_cleanup();
    return e.failed ? 1 : 0;
}
