/* chdb_query: runs SQL statements against chDB (ClickHouse as a shared
 * library) and prints each result, for tests that need a modern engine
 * without a server.
 *
 *   chdb_query [-l] DIR < statements
 *
 * DIR is the database directory (chDB's --path); it is created when
 * missing and keeps its tables between runs. Statements come from stdin,
 * separated by lines holding only `;;`; with -l every non-blank line is one
 * statement. Each statement runs with format TabSeparated and its result is
 * printed as is; a failed statement prints one line
 *
 *   ERROR <code> <message>
 *
 * (code 0 when the message names none; newlines in the message become
 * spaces) and the next statement still runs. Output is flushed after every
 * statement, so a test may feed statements through a pipe one at a time.
 *
 * Exit status: 0 every statement succeeded, 1 at least one failed, 2 usage
 * error or chDB could not be loaded or connected.
 *
 * A failed connect is tried again, twice, in a fresh process image: chDB
 * 26.5 now and then fails to load a table it reopens ("Load job 'load
 * table ...' failed ... recursive_mutex lock failed: Invalid argument",
 * ASYNC_LOAD_WAIT_FAILED), a race in its loader seen about once in a few
 * thousand reopenings under load. Nothing has run and stdin is unread at
 * that point, so starting over is exact; exec rather than a second
 * chdb_connect because the failed one leaves the library's global state
 * half made.
 *
 * The library is found at $MVRUN_CHDB_LIB, else at
 * $MVD_DEPS_DIR/chdb/<LIB_IN_DEPS>, else at .deps/chdb/<LIB_IN_DEPS> in the
 * nearest directory above this executable that has one (the repository,
 * where tests/deps.sh installs it).
 *
 * Build (from the repository root):
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror \
 *      -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
 *      -o build/chdb_query tests/engines/chdb_query.c -ldl
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIB_IN_DEPS "node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"

/* chDB's C API (programs/local/chdb.h in chdb-io/chdb), declared here
 * rather than vendored: both handles are opaque to us. chdb_connect
 * returns a pointer to the connection handle; queries take the handle
 * itself, chdb_close_conn the pointer. */
typedef struct ChdbResult ChdbResult;
typedef void *ChdbConnection;

typedef ChdbConnection *(*ChdbConnectFn)(int argc, char **argv);
typedef void (*ChdbCloseConnFn)(ChdbConnection *conn);
typedef ChdbResult *(*ChdbQueryFn)(ChdbConnection conn, const char *query, const char *format);
typedef const char *(*ChdbResultErrorFn)(ChdbResult *result);
typedef char *(*ChdbResultBufferFn)(ChdbResult *result);
typedef size_t (*ChdbResultLengthFn)(ChdbResult *result);
typedef void (*ChdbDestroyResultFn)(ChdbResult *result);

typedef struct {
    void *lib;
    ChdbConnectFn connect;
    ChdbCloseConnFn close_conn;
    ChdbQueryFn query;
    ChdbResultErrorFn result_error;
    ChdbResultBufferFn result_buffer;
    ChdbResultLengthFn result_length;
    ChdbDestroyResultFn destroy_result;
} ChdbApi;

typedef struct {
    char *v;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *v = realloc(b->v, cap);
        if (!v) {
            fprintf(stderr, "chdb_query: out of memory\n");
            exit(2);
        }
        b->v = v;
        b->cap = cap;
    }
    memcpy(b->v + b->len, s, n);
    b->len += n;
    b->v[b->len] = '\0';
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Walks up from the executable's directory to the first .deps/chdb that
 * holds the library. Returns 1 and fills out, or 0. */
static int find_lib_above_exe(char *out, size_t size)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return 0;
    dir[n] = '\0';
    char *slash;
    while ((slash = strrchr(dir, '/')) != NULL) {
        *slash = '\0';
        int w = snprintf(out, size, "%s/.deps/chdb/%s", dir, LIB_IN_DEPS);
        if (w > 0 && (size_t)w < size && is_file(out))
            return 1;
    }
    return 0;
}

static int find_lib(char *out, size_t size)
{
    const char *env = getenv("MVRUN_CHDB_LIB");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        if (is_file(out))
            return 1;
        fprintf(stderr, "chdb_query: MVRUN_CHDB_LIB=%s: no such file\n", env);
        return 0;
    }
    const char *deps = getenv("MVD_DEPS_DIR");
    if (deps && *deps) {
        snprintf(out, size, "%s/chdb/%s", deps, LIB_IN_DEPS);
        if (is_file(out))
            return 1;
        fprintf(stderr, "chdb_query: %s: no such file (MVD_DEPS_DIR is set)\n", out);
        return 0;
    }
    if (find_lib_above_exe(out, size))
        return 1;
    fprintf(stderr,
            "chdb_query: libchdb.so not found: no .deps/chdb/%s above this program;\n"
            "  install it with `sh tests/deps.sh` or set MVRUN_CHDB_LIB=/path/to/libchdb.so\n",
            LIB_IN_DEPS);
    return 0;
}

/* Reads one symbol into a function pointer. dlsym returns an object
 * pointer; copying its bytes keeps the conversion within ISO C. */
static int load_sym(void *lib, const char *name, void *fn, size_t size)
{
    void *p = dlsym(lib, name);
    if (!p) {
        fprintf(stderr, "chdb_query: libchdb.so lacks %s: %s\n", name, dlerror());
        return 0;
    }
    memcpy(fn, &p, size);
    return 1;
}

#define LOAD(api, field, name) load_sym((api)->lib, name, &(api)->field, sizeof (api)->field)

static int api_load(ChdbApi *api, const char *path)
{
    memset(api, 0, sizeof *api);
    api->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!api->lib) {
        fprintf(stderr, "chdb_query: cannot load %s: %s\n", path, dlerror());
        return 0;
    }
    return LOAD(api, connect, "chdb_connect") && LOAD(api, close_conn, "chdb_close_conn")
        && LOAD(api, query, "chdb_query") && LOAD(api, result_error, "chdb_result_error")
        && LOAD(api, result_buffer, "chdb_result_buffer")
        && LOAD(api, result_length, "chdb_result_length")
        && LOAD(api, destroy_result, "chdb_destroy_query_result");
}

/* The number after `Code: ` ("Code: 60. DB::Exception: ..."), or 0. */
static long error_code(const char *msg)
{
    const char *p = strstr(msg, "Code: ");
    if (!p)
        return 0;
    char *end;
    long code = strtol(p + 6, &end, 10);
    return end > p + 6 && (*end == '.' || *end == ',') ? code : 0;
}

static void print_error(const char *msg)
{
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
        n--;
    printf("ERROR %ld ", error_code(msg));
    for (size_t i = 0; i < n; i++)
        putchar(msg[i] == '\n' || msg[i] == '\r' ? ' ' : msg[i]);
    putchar('\n');
}

/* Runs one statement; returns 1 when it succeeded. */
static int run(const ChdbApi *api, ChdbConnection conn, const char *sql)
{
    ChdbResult *res = api->query(conn, sql, "TabSeparated");
    int ok = 0;
    if (!res) {
        print_error("chdb_query returned no result");
    } else {
        const char *err = api->result_error(res);
        if (err) {
            print_error(err);
        } else {
            size_t len = api->result_length(res);
            if (len > 0)
                fwrite(api->result_buffer(res), 1, len, stdout);
            ok = 1;
        }
        api->destroy_result(res);
    }
    fflush(stdout);
    return ok;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

static int is_separator(const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (n - i < 2 || line[i] != ';' || line[i + 1] != ';')
        return 0;
    return is_blank(line + i + 2, n - i - 2);
}

/* Reads statements from in and runs each; returns the number that failed. */
static int run_all(const ChdbApi *api, ChdbConnection conn, FILE *in, int per_line)
{
    Buf stmt = {0};
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    int failed = 0;
    while ((n = getline(&line, &line_cap, in)) != -1) {
        if (per_line) {
            if (!is_blank(line, (size_t)n)) {
                stmt.len = 0;
                buf_add(&stmt, line, (size_t)n);
                failed += !run(api, conn, stmt.v);
            }
        } else if (is_separator(line, (size_t)n)) {
            if (stmt.len && !is_blank(stmt.v, stmt.len))
                failed += !run(api, conn, stmt.v);
            stmt.len = 0;
        } else {
            buf_add(&stmt, line, (size_t)n);
        }
    }
    if (!per_line && stmt.len && !is_blank(stmt.v, stmt.len))
        failed += !run(api, conn, stmt.v);
    free(line);
    free(stmt.v);
    return failed;
}

/* Re-executes this program with the same arguments while fewer than
 * CONNECT_TRIES attempts were made; returns only when it may not. */
#define CONNECT_TRIES 3
static void try_again(char **argv)
{
    const char *made = getenv("CHDB_QUERY_CONNECT_TRY");
    int tries = made ? atoi(made) : 1;
    if (tries >= CONNECT_TRIES)
        return;
    char next[16];
    snprintf(next, sizeof next, "%d", tries + 1);
    if (setenv("CHDB_QUERY_CONNECT_TRY", next, 1) != 0)
        return;
    fprintf(stderr, "chdb_query: trying again (%s of %d)\n", next, CONNECT_TRIES);
    fflush(NULL);
    execv("/proc/self/exe", argv);
}

static void usage(void)
{
    fprintf(stderr, "usage: chdb_query [-l] DIR < statements\n"
                    "  statements are separated by lines holding only `;;`;\n"
                    "  -l: one statement per line\n");
}

int main(int argc, char **argv)
{
    int per_line = 0;
    int argi = 1;
    if (argi < argc && strcmp(argv[argi], "-l") == 0) {
        per_line = 1;
        argi++;
    }
    if (argc - argi != 1 || argv[argi][0] == '\0' || argv[argi][0] == '-') {
        usage();
        return 2;
    }

    char lib_path[PATH_MAX];
    ChdbApi api;
    if (!find_lib(lib_path, sizeof lib_path) || !api_load(&api, lib_path))
        return 2;

    Buf path_arg = {0};
    buf_add(&path_arg, "--path=", 7);
    buf_add(&path_arg, argv[argi], strlen(argv[argi]));
    char arg0[] = "chdb_query";
    char *cargv[] = {arg0, path_arg.v, NULL};
    ChdbConnection *conn = api.connect(2, cargv);
    free(path_arg.v);
    if (!conn || !*conn) {
        fprintf(stderr, "chdb_query: chdb_connect --path=%s failed\n", argv[argi]);
        try_again(argv);
        return 2;
    }

    int failed = run_all(&api, *conn, stdin, per_line);
    /* Without this the engine's background threads keep the process alive. */
    api.close_conn(conn);
    /* The library stays loaded: its static destructors run at exit. */
    return failed ? 1 : 0;
}
