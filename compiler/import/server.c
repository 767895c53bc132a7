/* `mvdc import --url`: the chain read from a live server instead of files.
 *
 * The server's system tables hold each object's CREATE statement as the
 * server keeps it (system.tables.create_table_query; 18.16 has it too).
 * Those statements are the chain: one `CREATE DATABASE` per database that
 * holds something, then the tables, then the views and MVs in the order
 * their queries need (a view reading another view comes after it), each
 * replayed exactly as a file's statement would be; before them, the SQL
 * functions (system.functions.create_query). The only change: the
 * `SETTINGS index_granularity = 8192` the server writes into every
 * MergeTree table's statement, which is ClickHouse's default and which
 * the DDL usually did not say, is left out (server_added_setting).
 *
 * Skipped: the system databases, mvd's registry (`--registry`, `_mvd` by
 * default), `default` when it holds nothing (every server has it),
 * temporary tables, and the inner tables of MVs without TO (`.inner...`:
 * their MV is reported as not imported, as from a file).
 *
 * This file is the only one of mvdc that talks to a server (the layer test
 * holds it to that): `mvdc check` and `build` never connect. Credentials
 * follow mvrun's rules (common/transport/login.h): the password never on
 * the command line, never printed; the URL is shown with any credential
 * cut out. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/imp.h"
#include "login.h"
#include "transport.h"
#include "tsv.h"
#include "url.h"

/* One object of the server, its statement cut into tokens. */
typedef struct SrvObject {
    const char *db, *name, *key;
    bool view;     /* View, MaterializedView, LiveView, WindowView */
    bool done;
    Stmt st;
    bool has_stmt;
} SrvObject;
typedef LIST_OF(SrvObject) SrvList;

typedef struct Server {
    Import *im;
    const ImpServer *args;
    Transport *t;
    char *shown;   /* the URL as messages show it (malloc'd) */
    bool auth_failed;
} Server;

static bool is_system_db(const char *db, const char *registry)
{
    static const char *const system[] = {"system", "INFORMATION_SCHEMA", "information_schema",
                                         "_temporary_and_external_tables"};
    for (size_t i = 0; i < sizeof system / sizeof *system; i++)
        if (strcmp(db, system[i]) == 0)
            return true;
    return strcmp(db, registry) == 0;
}

/* Runs sql and reads the TabSeparated answer; false after printing why. */
static bool select_rows(Server *s, const char *sql, Tsv *rows)
{
    TransportResult res;
    memset(rows, 0, sizeof *rows);
    if (transport_query(s->t, sql, strlen(sql), NULL, &res) != 0) {
        fprintf(stderr, "mvdc import: %s: %s failed: %s\n", s->shown, sql, res.message ? res.message : "no answer");
        s->auth_failed |= res.cls == TR_AUTH;
        transport_result_free(&res);
        return false;
    }
    int bad = tsv_parse(res.body, res.body_len, rows);
    transport_result_free(&res);
    if (bad)
        fprintf(stderr, "mvdc import: %s: the answer to %s is not TabSeparated text\n", s->shown, sql);
    return !bad;
}

/* The server's version as MAJOR.MINOR, for `option clickhouse` when
 * --clickhouse is not given. */
static bool read_version(Server *s)
{
    Tsv rows;
    if (!select_rows(s, "SELECT version() FORMAT TabSeparated", &rows))
        return false;
    if (!s->im->clickhouse && rows.n == 1 && rows.rows[0].n == 1) {
        const char *v = rows.rows[0].fields[0];
        size_t major = strcspn(v, "."), minor = v[major] ? strcspn(v + major + 1, ".") : 0;
        s->im->clickhouse = arena_strndup(&s->im->arena, v, major + (minor ? 1 + minor : 0));
        fprintf(stderr, "mvdc import: option clickhouse = '%s', the server's version (--clickhouse to choose another)\n",
                s->im->clickhouse);
    }
    tsv_free(&rows);
    return true;
}

static bool wanted_db(const Server *s, const char *db)
{
    if (!s->args->databases.n)
        return !is_system_db(db, s->args->registry);
    for (int i = 0; i < s->args->databases.n; i++)
        if (strcmp(s->args->databases.v[i], db) == 0)
            return true;
    return false;
}

/* Every --database must exist: a typo would import nothing, silently. */
static bool check_databases(Server *s, const Tsv *dbs)
{
    bool ok = true;
    for (int i = 0; i < s->args->databases.n; i++) {
        const char *want = s->args->databases.v[i];
        bool found = false;
        for (size_t k = 0; k < dbs->n; k++)
            found |= dbs->rows[k].n == 1 && strcmp(dbs->rows[k].fields[0], want) == 0;
        if (!found) {
            fprintf(stderr, "mvdc import: %s has no database %s\n", s->shown, want);
            ok = false;
        }
    }
    return ok;
}

/* The statement text as one source, named URL#db.name in diagnostics. */
static bool cut(Server *s, const char *what, const char *sql, Stmt *out)
{
    Import *im = s->im;
    const char *path = arena_printf(&im->arena, "%s#%s", s->shown, what);
    const char *text = arena_strndup(&im->arena, sql, strlen(sql));
    SourceFile *f = source_from_string(&im->arena, path, text, strlen(text));
    StmtList stmts = {0};
    int broken = statements_cut(&im->arena, &im->diags, f, &stmts);
    im->statements += broken;
    im->not_imported += broken;
    if (stmts.n != 1)
        return false;
    *out = stmts.v[0];
    return true;
}

static bool is_view_engine(const char *engine)
{
    size_t n = strlen(engine);
    return n >= 4 && strcmp(engine + n - 4, "View") == 0;
}

/* SHOW CREATE for an object whose create_table_query is empty. */
static char *show_create(Server *s, const char *db, const char *name)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SHOW CREATE TABLE ");
    for (int part = 0; part < 2; part++) {
        strbuf_putc(&sql, '`');
        for (const char *p = part ? name : db; *p; p++) {
            if (*p == '`' || *p == '\\')
                strbuf_putc(&sql, '\\');
            strbuf_putc(&sql, *p);
        }
        strbuf_puts(&sql, part ? "`" : "`.");
    }
    strbuf_puts(&sql, " FORMAT TabSeparated");
    Tsv rows;
    char *text = NULL;
    if (select_rows(s, strbuf_str(&sql), &rows) && rows.n == 1 && rows.rows[0].n == 1)
        text = arena_strndup(&s->im->arena, rows.rows[0].fields[0], strlen(rows.rows[0].fields[0]));
    else
        fprintf(stderr, "mvdc import: %s: no CREATE statement for %s.%s\n", s->shown, db, name);
    if (rows.rows)
        tsv_free(&rows);
    strbuf_free(&sql);
    return text;
}

/* The objects of the wanted databases, in name order. */
static bool read_objects(Server *s, SrvList *out)
{
    Import *im = s->im;
    Tsv rows;
    if (!select_rows(s, "SELECT database, name, engine, create_table_query FROM system.tables "
                        "WHERE NOT is_temporary ORDER BY database, name FORMAT TabSeparated", &rows))
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < rows.n; i++) {
        char **f = rows.rows[i].fields;
        if (rows.rows[i].n != 4 || !wanted_db(s, f[0]) || strncmp(f[1], ".inner", 6) == 0)
            continue;
        SrvObject o = {.db = arena_strndup(&im->arena, f[0], strlen(f[0])),
                       .name = arena_strndup(&im->arena, f[1], strlen(f[1])),
                       .view = is_view_engine(f[2])};
        o.key = arena_printf(&im->arena, "%s.%s", o.db, o.name);
        const char *sql = *f[3] ? f[3] : show_create(s, o.db, o.name);
        ok = sql != NULL;
        if (ok)
            o.has_stmt = cut(s, o.key, sql, &o.st);
        *LIST_PUSH(&im->arena, out) = o;
    }
    tsv_free(&rows);
    return ok;
}

/* Whether view v's statement names view w (as db.name: the server
 * qualifies every table a stored query reads). */
static bool reads(Import *im, const SrvObject *v, const SrvObject *w)
{
    for (int i = 0; v->has_stmt && i < v->st.toks.n; i++) {
        Cur c = {&v->st, i};
        QName q;
        if (cursor_qname(&c, &im->arena, &q) && q.db.s && name_is(q.db, w->db) && name_is(q.name, w->name))
            return true;
    }
    return false;
}

/* The next view whose sources are all replayed: the first in name order,
 * or, in a cycle (which the server cannot have made), the first left. */
static SrvObject *next_view(Import *im, SrvList *objs)
{
    SrvObject *first = NULL;
    for (int i = 0; i < objs->n; i++) {
        SrvObject *v = &objs->v[i];
        if (v->done || !v->view)
            continue;
        if (!first)
            first = v;
        bool ready = true;
        for (int k = 0; ready && k < objs->n; k++)
            ready = k == i || objs->v[k].done || !objs->v[k].view || !reads(im, v, &objs->v[k]);
        if (ready)
            return v;
    }
    return first;
}

static void replay_object(Import *im, SrvObject *o)
{
    o->done = true;
    if (o->has_stmt)
        replay_statement(im, &o->st);
}

/* CREATE DATABASE for each database that holds an object, or that was
 * named, or any other than `default`. */
static void replay_databases(Server *s, const Tsv *dbs, const SrvList *objs)
{
    for (size_t i = 0; i < dbs->n; i++) {
        const char *db = dbs->rows[i].fields[0];
        if (dbs->rows[i].n != 1 || !wanted_db(s, db))
            continue;
        bool used = strcmp(db, "default") != 0 || s->args->databases.n;
        for (int k = 0; !used && k < objs->n; k++)
            used = strcmp(objs->v[k].db, db) == 0;
        StrBuf sql = {0};
        strbuf_puts(&sql, "CREATE DATABASE `");
        for (const char *p = db; *p; p++) {
            if (*p == '`' || *p == '\\')
                strbuf_putc(&sql, '\\');
            strbuf_putc(&sql, *p);
        }
        strbuf_putc(&sql, '`');
        Stmt st;
        if (used && cut(s, db, strbuf_str(&sql), &st))
            replay_statement(s->im, &st);
        strbuf_free(&sql);
    }
}

/* The SQL functions (system.functions, origin SQLUserDefined, from
 * 21.10: older servers have neither the column nor the functions),
 * replayed before the tables, since views call them. */
static bool replay_functions(Server *s)
{
    Tsv rows;
    if (!select_rows(s, "SELECT count() FROM system.columns WHERE database = 'system' AND table = 'functions' "
                        "AND name IN ('origin', 'create_query') FORMAT TabSeparated", &rows))
        return false;
    bool has = rows.n == 1 && rows.rows[0].n == 1 && strcmp(rows.rows[0].fields[0], "2") == 0;
    tsv_free(&rows);
    if (!has)
        return true;
    if (!select_rows(s, "SELECT name, create_query FROM system.functions WHERE origin = 'SQLUserDefined' "
                        "ORDER BY name FORMAT TabSeparated", &rows))
        return false;
    for (size_t i = 0; i < rows.n; i++) {
        Stmt st;
        if (rows.rows[i].n == 2 && cut(s, rows.rows[i].fields[0], rows.rows[i].fields[1], &st))
            replay_statement(s->im, &st);
    }
    tsv_free(&rows);
    return true;
}

static bool replay_server(Server *s)
{
    Tsv dbs;
    if (!read_version(s) || !select_rows(s, "SELECT name FROM system.databases ORDER BY name FORMAT TabSeparated", &dbs))
        return false;
    SrvList objs = {0};
    bool ok = check_databases(s, &dbs) && read_objects(s, &objs) && replay_functions(s);
    if (ok) {
        replay_databases(s, &dbs, &objs);
        for (int i = 0; i < objs.n; i++)
            if (!objs.v[i].view)
                replay_object(s->im, &objs.v[i]);
        for (SrvObject *v; (v = next_view(s->im, &objs)) != NULL;)
            replay_object(s->im, v);
    }
    tsv_free(&dbs);
    return ok;
}

bool server_replay(Import *im, const ImpServer *args)
{
    Login login;
    if (login_read("mvdc import", args->user, args->password_file, &login) != 0)
        return false;
    Server s = {.im = im, .args = args, .shown = url_shown(args->url)};
    char *proxy = url_proxy_note(args->url);
    if (proxy)
        fprintf(stderr, "mvdc import: note: %s\n", proxy);
    free(proxy);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TransportConfig cfg = {
        .url = args->url,
        .user = login.user,
        .password = login.password,
        .insecure = args->insecure,
        .cacert = args->cacert,
    };
    TransportError err;
    bool ok = false;
    if (transport_open(&cfg, &s.t, &err) != 0) {
        fprintf(stderr, "mvdc import: cannot connect to %s: %s\n", s.shown, err.message);
        s.auth_failed = err.cls == TR_AUTH;
    } else {
        ok = replay_server(&s);
        transport_close(s.t);
    }
    if (s.auth_failed) /* where the password came from, never what it is */
        fprintf(stderr, "mvdc import: the server refused %s%s (%s)\n", login.user ? "the user " : "the default user",
                login.user ? login.user : "", login.password_from);
    curl_global_cleanup();
    free(s.shown);
    login_free(&login);
    return ok;
}

bool server_added_setting(const Import *im, const Setting *set, const char *src)
{
    if (!im->server || !name_is(set->key, "index_granularity") || !set->value)
        return false;
    const Span *v = &set->value->span;
    return v->len == 4 && strncmp(src + v->off, "8192", 4) == 0;
}
