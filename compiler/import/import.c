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
    "\n"
    "Replays a chain of ClickHouse DDL migrations (.sql files, or folders of\n"
    "them read recursively in sorted path order; *.down.sql left out, only the\n"
    "Up part of goose files) and writes the final state as .mvd sources, one\n"
    "file per database, in canonical form.\n"
    "\n"
    "options:\n"
    "  -o OUTDIR                 where the .mvd files go (created when missing)\n"
    "  --clickhouse VERSION      write `option clickhouse = 'VERSION'`\n"
    "  --database DB             the database of unqualified names (default: default)\n"
    "  --define NAME=VALUE       replace ${NAME} in the files by VALUE\n"
    "  --diagnostics=text|json   how to print diagnostics (default text)\n"
    "\n"
    "Exit status: 0 everything imported, 1 statements that could not be imported\n"
    "(each reported at its file:line:col), 2 bad usage or unreadable input.\n";

typedef struct ImportArgs {
    const char *outdir;
    bool json;
    LIST_OF(const char *) srcs;
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
            im->default_db = v;
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
    if (!a->srcs.n)
        return usage_error("%s", "no SRC given (.sql files or folders of them)");
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
        status = replay_chain(&im, &a) ? write_project(&im, a.outdir) : 2;
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
