/* `mvdc import`: its command line, and the run: read the chain, replay
 * every statement, write the .mvd files, print the diagnostics and a
 * count of what was done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/imp.h"
#include "import/import.h"

static const char usage[] =
    "usage: mvdc import -o OUTDIR [options] SRC...\n"
    "       mvdc import -o OUTDIR --url URL [--database DB]... [options]\n"
    "\n"
    "Replays a chain of ClickHouse DDL migrations (.sql files, or folders of\n"
    "them read recursively in sorted path order; *.down.sql left out, only the\n"
    "Up part of goose files) and writes the final state as .mvd sources, one\n"
    "file per database, in canonical form. With --url, the chain is a live\n"
    "server's CREATE statements (system.tables), read and nothing changed.\n"
    "\n"
    "options:\n"
    "  -o OUTDIR                 where the .mvd files go (created when missing)\n"
    "  --clickhouse VERSION      write `option clickhouse = 'VERSION'` (with --url:\n"
    "                            default the server's version)\n"
    "  --database DB             files: the database of unqualified names (default:\n"
    "                            default); --url: import only DB (repeatable; default\n"
    "                            every database but the system ones and the registry)\n"
    "  --define NAME=VALUE       replace ${NAME} in the files by VALUE\n"
    "  --diagnostics=text|json   how to print diagnostics (default text)\n"
    "\n"
    "a live server (as mvrun connects):\n"
    "  --url URL                 http://HOST:PORT, https://HOST:PORT or chdb:DIR\n"
    "  --user USER               default: $CLICKHOUSE_USER, else the server's default user\n"
    "  --password-file FILE      the password is the file's first line. Default:\n"
    "                            $CLICKHOUSE_PASSWORD. Never on the command line, never printed\n"
    "  --insecure                do not verify the server's TLS certificate\n"
    "  --cacert FILE             verify it against these CA certificates\n"
    "  --registry DB             mvrun's registry database, not imported (default _mvd)\n"
    "\n"
    "Exit status: 0 everything imported, 1 statements that could not be imported\n"
    "(each reported at its file:line:col), 2 bad usage, unreadable input, or a\n"
    "server that cannot be reached or read.\n";

typedef struct ImportArgs {
    const char *outdir;
    bool json;
    LIST_OF(const char *) srcs;
    ImpServer server;   /* --url and its options */
} ImportArgs;

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "mvdc import: ");
    fprintf(stderr, msg, arg);
    fprintf(stderr, "\nTry 'mvdc import --help'.\n");
    return 2;
}

/* The value of `--name VALUE` or `--name=VALUE`, advancing *i. */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int parse_args(Import *im, ImportArgs *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if ((v = value_of(argc, argv, &i, "-o")) != NULL)
            a->outdir = v;
        else if ((v = value_of(argc, argv, &i, "--clickhouse")) != NULL)
            im->clickhouse = v;
        else if ((v = value_of(argc, argv, &i, "--database")) != NULL)
            *LIST_PUSH(&im->arena, &a->server.databases) = v;
        else if ((v = value_of(argc, argv, &i, "--url")) != NULL)
            a->server.url = v;
        else if ((v = value_of(argc, argv, &i, "--user")) != NULL)
            a->server.user = v;
        else if ((v = value_of(argc, argv, &i, "--password-file")) != NULL)
            a->server.password_file = v;
        else if ((v = value_of(argc, argv, &i, "--cacert")) != NULL)
            a->server.cacert = v;
        else if ((v = value_of(argc, argv, &i, "--registry")) != NULL)
            a->server.registry = v;
        else if (strcmp(s, "--insecure") == 0)
            a->server.insecure = true;
        else if (strncmp(s, "--password", 10) == 0) /* never echo it: it may be the password */
            return usage_error("%s", "there is no --password option: the password comes only from "
                                     "$CLICKHOUSE_PASSWORD or --password-file, so that it never "
                                     "appears in a process list or a shell history");
        else if ((v = value_of(argc, argv, &i, "--define")) != NULL) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v)
                return usage_error("--define takes NAME=VALUE, not '%s'", v);
            *LIST_PUSH(&im->arena, &im->defines) = (ImpDefine){arena_strndup(&im->arena, v, (size_t)(eq - v)), eq + 1};
        } else if (strcmp(s, "--diagnostics=json") == 0)
            a->json = true;
        else if (strcmp(s, "--diagnostics=text") == 0)
            a->json = false;
        else if (s[0] == '-' && s[1])
            return usage_error("unknown option '%s'", s);
        else
            *LIST_PUSH(&im->arena, &a->srcs) = s;
    }
    if (!a->outdir)
        return usage_error("%s", "-o OUTDIR is required");
    if (a->server.url) {
        im->server = true;
        if (a->srcs.n)
            return usage_error("--url reads a server, not files (also given: %s)", a->srcs.v[0]);
        if (!*a->server.url)
            return usage_error("%s", "--url needs a URL: http://HOST:PORT, https://HOST:PORT or chdb:DIR");
        if (im->defines.n)
            return usage_error("%s", "--define replaces ${NAME} in files; a server's statements have none");
        if (!a->server.registry)
            a->server.registry = "_mvd";
    } else {
        if (a->server.user || a->server.password_file || a->server.cacert || a->server.registry || a->server.insecure)
            return usage_error("%s", "--user, --password-file, --cacert, --insecure and --registry go with --url");
        if (!a->srcs.n)
            return usage_error("%s", "no SRC given (.sql files or folders of them), nor --url");
        if (a->server.databases.n > 1)
            return usage_error("%s", "--database names one default database for files (several go with --url)");
        if (a->server.databases.n)
            im->default_db = a->server.databases.v[0];
    }
    if (im->clickhouse && !*im->clickhouse)
        return usage_error("%s", "--clickhouse needs a version, e.g. 24.8");
    return -1;
}

/* Reads and replays every file of the chain; false when one is unreadable. */
static bool replay_chain(Import *im, const ImportArgs *a)
{
    PathList files = {0};
    for (int i = 0; i < a->srcs.n; i++)
        if (!chain_collect(im, a->srcs.v[i], &files))
            return false;
    for (int i = 0; i < files.n; i++) {
        SourceFile *f = chain_read(im, files.v[i]);
        if (!f)
            return false;
        StmtList stmts = {0};
        int broken = statements_cut(&im->arena, &im->diags, f, &stmts);
        im->statements += broken;
        im->not_imported += broken;
        for (int k = 0; k < stmts.n; k++)
            replay_statement(im, &stmts.v[k]);
    }
    return true;
}

int import_main(int argc, char **argv)
{
    Import im = {0};
    arena_init(&im.arena);
    diag_init(&im.diags, &im.arena);
    strmap_init(&im.objects, &im.arena);
    im.default_db = "default";
    ImportArgs a = {0};
    int status = parse_args(&im, &a, argc, argv);
    if (status < 0) {
        bool read = a.server.url ? server_replay(&im, &a.server) : replay_chain(&im, &a);
        status = read ? write_project(&im, a.outdir) : 2;
        if (a.json)
            diag_print_json(&im.diags, stdout);
        else
            diag_print_text(&im.diags, stderr);
        if (status == 0) {
            fprintf(stderr, "mvdc import: %d statements: %d applied, %d skipped (not DDL), %d not imported\n",
                    im.statements, im.applied, im.skipped, im.not_imported);
            status = im.diags.errors ? 1 : 0;
        }
    }
    arena_free(&im.arena);
    return status;
}
