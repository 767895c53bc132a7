/* transport_chdb: ClickHouse as a library (chDB's libchdb.so), loaded with
 * dlopen when the URL is chdb:PATH. Loaded rather than linked: the library
 * is about 560 MB, comes from npm rather than Debian, and a user of the
 * HTTP transport should not need it.
 *
 * The library is looked for, in order: the config's chdb_lib;
 * $MVRUN_CHDB_LIB; $MVD_DEPS_DIR/chdb/<LIB_IN_DEPS>; .deps/chdb/<LIB_IN_DEPS>
 * in the nearest directory above the executable that has it (the
 * repository, where `make deps` installs it). The same order as
 * tests/engines/chdb_query.c.
 *
 * chDB has no query_id (nothing else can see its queries) and no users.
 * Extra settings are applied with SET once per connection: chdb_connect
 * silently ignores settings given as arguments (tried on 26.5).
 */
#include "transport_impl.h"

#include <stdint.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIB_IN_DEPS "node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"
#define INSTALL_HINT "install it with `make deps`, or set MVRUN_CHDB_LIB=/path/to/libchdb.so"

/* chDB's C API (programs/local/chdb.h in chdb-io/chdb), declared here
 * rather than vendored: both handles are opaque to us. chdb_connect
 * returns a pointer to the connection handle; queries take the handle
 * itself, chdb_close_conn the pointer. */
typedef struct ChdbResult ChdbResult;
typedef void *ChdbConnection;

typedef struct ChdbApi {
    ChdbConnection *(*connect)(int argc, char **argv);
    void (*close_conn)(ChdbConnection *conn);
    /* Takes a length: statements need not be NUL-terminated. */
    ChdbResult *(*query_n)(ChdbConnection conn, const char *query, size_t query_len,
                           const char *format, size_t format_len);
    const char *(*result_error)(ChdbResult *result);
    char *(*result_buffer)(ChdbResult *result);
    size_t (*result_length)(ChdbResult *result);
    void (*destroy_result)(ChdbResult *result);
    /* Optional (NULL in an older chDB): what a statement read and wrote. */
    uint64_t (*rows_read)(ChdbResult *result);
    uint64_t (*bytes_read)(ChdbResult *result);
    uint64_t (*rows_written)(ChdbResult *result);
    uint64_t (*bytes_written)(ChdbResult *result);
} ChdbApi;

typedef struct ChdbTransport {
    Transport base;
    void *lib;
    ChdbApi api;
    ChdbConnection *conn;
    /* Testing aid, MVRUN_TEST_BETWEEN (docs/mvrun.md): statements run
     * before every request (one after the other where a `;` ends a line),
     * their answers ignored, so that a test sees inserts land between
     * every two statements mvrun sends. */
    const char *between;
} ChdbTransport;

/* ---- Finding the library ------------------------------------------------------ */

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* An explicitly named library must exist; a missing one is an error, not
 * a reason to look elsewhere. */
static int use_named(const char *path, const char *source, char *out, size_t size,
                     TransportError *err)
{
    if ((size_t)snprintf(out, size, "%s", path) >= size || !is_file(out))
        return transport_open_error(err, TR_CONNECT, "chDB library %s (from %s): no such file; %s",
                                    path, source, INSTALL_HINT);
    return 0;
}

/* Walks up from the executable's directory to the first .deps/chdb that
 * holds the library. */
static int find_above_exe(char *out, size_t size, TransportError *err)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return transport_open_error(err, TR_CONNECT,
                                    "libchdb.so not found (cannot read /proc/self/exe); %s",
                                    INSTALL_HINT);
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';             /* the executable's directory */
    char exe_dir[PATH_MAX];
    memcpy(exe_dir, dir, strlen(dir) + 1);
    for (;;) {
        int w = snprintf(out, size, "%s/.deps/chdb/%s", dir, LIB_IN_DEPS);
        if (w > 0 && (size_t)w < size && is_file(out))
            return 0;
        if ((slash = strrchr(dir, '/')) == NULL)
            break;
        *slash = '\0';
    }
    return transport_open_error(err, TR_CONNECT,
                                "libchdb.so not found: no .deps/chdb/%s in %s or any directory "
                                "above it; %s", LIB_IN_DEPS, exe_dir[0] ? exe_dir : "/", INSTALL_HINT);
}

static int find_lib(const TransportConfig *cfg, char *out, size_t size, TransportError *err)
{
    const char *env = getenv("MVRUN_CHDB_LIB"), *deps = getenv("MVD_DEPS_DIR");
    if (cfg->chdb_lib && *cfg->chdb_lib)
        return use_named(cfg->chdb_lib, "the configuration", out, size, err);
    if (env && *env)
        return use_named(env, "MVRUN_CHDB_LIB", out, size, err);
    if (deps && *deps) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/chdb/%s", deps, LIB_IN_DEPS);
        return use_named(path, "MVD_DEPS_DIR", out, size, err);
    }
    return find_above_exe(out, size, err);
}

/* ---- Loading it --------------------------------------------------------------- */

/* dlsym returns an object pointer; copying its bytes into the function
 * pointer keeps the conversion within ISO C. */
static int load_sym(void *lib, const char *name, void *fn, size_t size, TransportError *err)
{
    void *p = dlsym(lib, name);
    if (!p)
        return transport_open_error(err, TR_CONNECT, "libchdb.so lacks %s (too old a chDB?); %s",
                                    name, INSTALL_HINT);
    memcpy(fn, &p, size);
    return 0;
}

/* The counters a backfill's report shows; a chDB without them reports none. */
static int load_counts(ChdbTransport *c)
{
    /* storage_*: the rows read from tables (rows_read counts an INSERT's as 0). */
    void *p[4] = {dlsym(c->lib, "chdb_result_storage_rows_read"),
                  dlsym(c->lib, "chdb_result_storage_bytes_read"),
                  dlsym(c->lib, "chdb_result_rows_written"), dlsym(c->lib, "chdb_result_bytes_written")};
    if (p[0] && p[1] && p[2] && p[3]) {
        memcpy(&c->api.rows_read, &p[0], sizeof c->api.rows_read);
        memcpy(&c->api.bytes_read, &p[1], sizeof c->api.bytes_read);
        memcpy(&c->api.rows_written, &p[2], sizeof c->api.rows_written);
        memcpy(&c->api.bytes_written, &p[3], sizeof c->api.bytes_written);
    }
    return 0;
}

#define LOAD(c, field, name, err) load_sym((c)->lib, name, &(c)->api.field, sizeof (c)->api.field, err)

static int load_api(ChdbTransport *c, const char *path, TransportError *err)
{
    c->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!c->lib)
        return transport_open_error(err, TR_CONNECT, "cannot load %s: %s", path, dlerror());
    return LOAD(c, connect, "chdb_connect", err) || LOAD(c, close_conn, "chdb_close_conn", err)
        || LOAD(c, query_n, "chdb_query_n", err) || LOAD(c, result_error, "chdb_result_error", err)
        || LOAD(c, result_buffer, "chdb_result_buffer", err)
        || LOAD(c, result_length, "chdb_result_length", err)
        || LOAD(c, destroy_result, "chdb_destroy_query_result", err)
        || load_counts(c);
}

/* ---- Queries ---------------------------------------------------------------------- */

static void run(ChdbTransport *c, const char *sql, size_t len, TransportResult *res)
{
    ChdbResult *r = c->api.query_n(*c->conn, sql, len, "TabSeparated", strlen("TabSeparated"));
    if (!r) {
        transport_fail(res, TR_PERMANENT, 0, "chDB returned no result");
        return;
    }
    const char *error = c->api.result_error(r);
    if (error) {
        transport_fail_text(res, 0, 0, error, strlen(error));
    } else {
        size_t n = c->api.result_length(r);
        /* Copied: the result must be freed by chDB, the body by free(). */
        if ((res->body = malloc(n + 1)) == NULL) {
            transport_fail(res, TR_PERMANENT, 0, "out of memory holding chDB's answer (%zu bytes)", n);
        } else {
            if (n)
                memcpy(res->body, c->api.result_buffer(r), n);
            res->body[n] = '\0';
            res->body_len = n;
            res->ok = 1;
            res->cls = TR_OK;
            if (c->api.rows_read) {
                res->has_counts = 1;
                res->read_rows = c->api.rows_read(r);
                res->read_bytes = c->api.bytes_read(r);
                res->written_rows = c->api.rows_written(r);
                res->written_bytes = c->api.bytes_written(r);
            }
        }
    }
    c->api.destroy_result(r);
}

static void chdb_query_one(Transport *t, const char *sql, size_t len, const char *query_id,
                           TransportResult *res)
{
    (void)query_id;
    ChdbTransport *c = (ChdbTransport *)t;
    for (const char *at = c->between; at && *at;) {
        const char *end = strstr(at, ";\n");
        size_t n = end ? (size_t)(end - at) : strlen(at);
        TransportResult ignored = {0};
        run(c, at, n, &ignored);
        transport_result_free(&ignored);
        at = end ? end + 2 : at + n;
    }
    run(c, sql, len, res);
}

/* `SET name = 'value'`, the value quoted so that any text is one literal. */
static char *set_statement(const TransportSetting *s)
{
    size_t n = strlen(s->value), k = 0;
    char *quoted = malloc(2 * n + 1);
    if (!quoted)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s->value[i] == '\'' || s->value[i] == '\\')
            quoted[k++] = '\\';
        quoted[k++] = s->value[i];
    }
    quoted[k] = '\0';
    size_t size = strlen(s->name) + k + 16;
    char *stmt = malloc(size);
    if (stmt)
        snprintf(stmt, size, "SET %s = '%s'", s->name, quoted);
    free(quoted);
    return stmt;
}

static int apply_settings(ChdbTransport *c, const TransportConfig *cfg, TransportError *err)
{
    for (size_t i = 0; i < cfg->n_settings; i++) {
        char *stmt = set_statement(&cfg->settings[i]);
        if (!stmt)
            return transport_open_error(err, TR_PERMANENT, "out of memory");
        TransportResult res = {0};
        run(c, stmt, strlen(stmt), &res);
        free(stmt);
        if (!res.ok)
            transport_open_error(err, res.cls, "setting %s: %s", cfg->settings[i].name,
                                 res.message ? res.message : "failed");
        transport_result_free(&res);
        if (err->cls != TR_OK)
            return -1;
    }
    return 0;
}

/* ---- Connecting and closing ------------------------------------------------------- */

/* chdb_connect says why it failed only on fd 2 (`Code: 76. ... Cannot
 * lock file DIR/status` when another process has DIR) and returns NULL.
 * The transport prints nothing, so fd 2 goes to a temporary file for the
 * call and what arrives there becomes the message; on success it is passed
 * on to stderr unchanged. Nothing else runs in the process meanwhile
 * (mvrun is single-threaded while it connects). */
typedef struct Capture {
    FILE *file;
    int saved_fd;
} Capture;

static void capture_begin(Capture *cap)
{
    fflush(stderr);
    cap->file = tmpfile();
    cap->saved_fd = cap->file ? dup(2) : -1;
    if (cap->saved_fd >= 0 && dup2(fileno(cap->file), 2) < 0) {
        close(cap->saved_fd);
        cap->saved_fd = -1;
    }
}

/* Restores fd 2 and returns what was written to it, at most size - 1
 * bytes, newlines made spaces, trailing ones dropped. */
static void capture_end(Capture *cap, char *text, size_t size)
{
    text[0] = '\0';
    fflush(stderr);
    if (cap->saved_fd >= 0) {
        dup2(cap->saved_fd, 2);
        close(cap->saved_fd);
        int fd = fileno(cap->file);
        ssize_t n = lseek(fd, 0, SEEK_SET) == 0 ? read(fd, text, size - 1) : -1;
        text[n > 0 ? n : 0] = '\0';
    }
    if (cap->file)
        fclose(cap->file);
    for (size_t i = strlen(text); i > 0 && (text[i - 1] == '\n' || text[i - 1] == ' '); i--)
        text[i - 1] = '\0';
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static int connect_path(ChdbTransport *c, const char *path, TransportError *err)
{
    size_t size = strlen(path) + sizeof "--path=";
    char *path_arg = malloc(size), said[400];
    if (!path_arg)
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    snprintf(path_arg, size, "--path=%s", path);
    char arg0[] = "mvrun";
    char *argv[] = {arg0, path_arg, NULL};
    Capture cap;
    capture_begin(&cap);
    c->conn = c->api.connect(2, argv);
    capture_end(&cap, said, sizeof said);
    free(path_arg);
    if (c->conn && *c->conn) {
        if (said[0])
            fprintf(stderr, "%s\n", said);
        return 0;
    }
    c->conn = NULL;
    return transport_open_error(err, TR_CONNECT, "chDB cannot open %s: %s", path,
                                said[0] ? said : "chdb_connect failed (is another process using it?)");
}

/* The library is never dlclose'd: it stays loaded until the process exits,
 * as in chDB's own hosts (Python never unloads it) and in
 * tests/engines/chdb_query.c. chdb_close_conn returns with chDB's thread
 * pool still running: dozens of "ThreadPool" threads stay, idle or just
 * finishing a job whose end they signalled (the engine's shutdown waits
 * for that signal, not for the thread to go back to sleep). dlclose unmaps
 * the library's code under them (nothing in it is NODELETE and no
 * thread-local destructor of it is pending), and a thread that then runs
 * one more instruction of it dies with SIGSEGV. mvrun crashed so, rarely,
 * at exit after its report on a busy machine; with chDB's threads held
 * back while it closes (tests/runtime/chdb_slow_threads.c, test
 * chdb-exit-with-busy-threads) in every run, the core showing the main
 * thread in dlclose's munmap and a pool thread faulting at an address of
 * the library. Left loaded, the threads end with the process. */
static void chdb_close(Transport *t)
{
    ChdbTransport *c = (ChdbTransport *)t;
    /* Without this the engine's background threads keep the process alive. */
    if (c->conn)
        c->api.close_conn(c->conn);
    free(c);
}

static const TransportOps chdb_ops = {"chdb", chdb_query_one, chdb_close};

int chdb_transport_open(const TransportConfig *cfg, const char *path, Transport **out,
                        TransportError *err)
{
    char lib_path[PATH_MAX];
    if (!*path)
        return transport_open_error(err, TR_PERMANENT,
                                    "chdb: needs a directory for the data, as in chdb:./data");
    if (find_lib(cfg, lib_path, sizeof lib_path, err) != 0)
        return -1;
    ChdbTransport *c = calloc(1, sizeof *c);
    if (!c)
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    c->base.ops = &chdb_ops;
    c->between = getenv("MVRUN_TEST_BETWEEN");
    err->cls = TR_OK;
    if (load_api(c, lib_path, err) != 0 || connect_path(c, path, err) != 0
        || apply_settings(c, cfg, err) != 0) {
        chdb_close(&c->base);
        return -1;
    }
    *out = &c->base;
    return 0;
}
