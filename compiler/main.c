/* mvdc: the command line. Each command is a short function over the
 * pipeline in project.h; this file only reads arguments, runs it and
 * chooses the exit status (0 clean, 1 errors reported, 2 bad usage or an
 * unreadable file). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_replace.h"
#include "print/fmt.h"
#include "graph.h"
#include "import/import.h"
#include "plan/plan.h"
#include "strbuf.h"
#include "check/check.h"
#include "version.h"

typedef struct Args {
    const char *command;
    char **paths;
    int npaths;
    bool json;
    bool werror;
    bool json_out;
    bool check_only;
    const char *stdlib_dir;
    const char *output;
    const char *previous;
    bool no_previous;      /* build --no-previous */
    const char *summary;   /* build --summary=md */
    const char *format;    /* graph --format=dot|mermaid */
    int jobs;              /* -j N: threads; 0 one per core */
} Args;

static const char usage[] =
    "usage: mvdc <command> [options] SRC...\n"
    "\n"
    "commands:\n"
    "  check SRC...     parse, resolve and check every .mvd file under SRC\n"
    "  build SRC...     compile the project into a plan (-o FILE, default plan.sql)\n"
    "  graph SRC...     print the lineage graph (--format=dot|mermaid, default dot)\n"
    "  fmt SRC...       rewrite .mvd files in canonical form (--check: only report)\n"
    "  import -o OUTDIR SRC...\n"
    "                   replay ClickHouse DDL migrations (.sql) into .mvd sources\n"
    "  import -o OUTDIR --url URL\n"
    "                   the same from a live server's CREATE statements (the one\n"
    "                   command that connects; mvdc import --help for its options)\n"
    "  describe SRC... NAME\n"
    "                   print NAME's columns and types, one 'name<TAB>type' line\n"
    "                   each (NAME is db.name, or a name unique in the project)\n"
    "\n"
    "options:\n"
    "  --diagnostics=text|json   how to print diagnostics (default text)\n"
    "  --json                    describe: print a JSON array instead\n"
    "  -o FILE                   build: where the plan goes (default plan.sql; - for standard\n"
    "                            output); the plan already there is the previous state the new\n"
    "                            one converges from\n"
    "  --summary=md|json         build: also print what changed since the previous plan,\n"
    "                            object by object, in Markdown or JSON\n"
    "  --previous FILE           build: read the previous state from FILE instead\n"
    "  --no-previous             build: converge from nothing, whatever is at -o\n"
    "  --check                   build: write nothing; exit 1 if the plan at -o is not exactly\n"
    "                            what the sources give (stale, or edited by hand)\n"
    "  --werror                  exit 1 on warnings too\n"
    "  -j N                      use at most N threads (default: one per core); the\n"
    "                            output is the same whatever N is\n"
    "  --stdlib DIR              read the standard library from DIR, not the built-in one\n"
    "  -h, --help                this help\n"
    "  --version                 print the version\n"
    "\n"
    "SRC is a .mvd file or a directory searched recursively for *.mvd files,\n"
    "read in sorted path order. Exit status: 0 no errors, 1 errors (or warnings\n"
    "with --werror), 2 bad usage or unreadable input.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "mvdc: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'mvdc --help'.\n");
    return 2;
}

static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof(*a));
    a->paths = argv;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(s, "--version") == 0) {
            printf("mvdc %s\n", MVD_VERSION);
            return 0;
        }
        if (strcmp(s, "--werror") == 0)
            a->werror = true;
        else if (strcmp(s, "--stdlib") == 0 && i + 1 < argc)
            a->stdlib_dir = argv[++i];
        else if (strncmp(s, "--stdlib=", 9) == 0)
            a->stdlib_dir = s + 9;
        else if (strcmp(s, "--diagnostics=json") == 0)
            a->json = true;
        else if (strcmp(s, "--diagnostics=text") == 0)
            a->json = false;
        else if (strcmp(s, "--json") == 0)
            a->json_out = true;
        else if (strncmp(s, "--summary=", 10) == 0)
            a->summary = s + 10;
        else if (strncmp(s, "--format=", 9) == 0)
            a->format = s + 9;
        else if (strcmp(s, "--check") == 0)
            a->check_only = true;
        else if (strcmp(s, "-o") == 0 && i + 1 < argc)
            a->output = argv[++i];
        else if (strcmp(s, "--previous") == 0 && i + 1 < argc)
            a->previous = argv[++i];
        else if (strcmp(s, "--no-previous") == 0)
            a->no_previous = true;
        else if ((strcmp(s, "-j") == 0 && i + 1 < argc) || (strncmp(s, "-j", 2) == 0 && s[2])) {
            const char *n = s[2] ? s + 2 : argv[++i];
            char *end;
            long v = strtol(n, &end, 10);
            if (*end || v < 1 || v > 1024)
                return usage_error("-j takes a number of threads (1 or more), not '%s'", n);
            a->jobs = (int)v;
        }
        else if (s[0] == '-' && s[1])
            return usage_error("unknown option '%s'", s);
        else if (!a->command)
            a->command = s;
        else
            a->paths[a->npaths++] = argv[i];
    }
    if (!a->command)
        return usage_error("%s", "no command given");
    return -1;
}

static void project_start(Project *p, const Args *a)
{
    project_init(p);
    p->max_threads = a->jobs;
}

/* Loads and checks the project; prints the diagnostics; returns the exit
 * status, or -1 when loading failed (status 2 is then due). */
static int load_and_check(const Args *a, Project *p, char **paths, int npaths)
{
    if (!project_load_library(p, a->stdlib_dir) || !project_load(p, paths, npaths))
        return -1;
    check_project(p);
    if (a->json)
        diag_print_json(&p->diags, stdout);
    else
        diag_print_text(&p->diags, stderr);
    return p->diags.errors || (a->werror && p->diags.warnings) ? 1 : 0;
}

static int run_check(const Args *a)
{
    if (a->npaths == 0)
        return usage_error("%s", "check needs at least one SRC (a .mvd file or a directory)");
    Project p;
    project_start(&p, a);
    int status = load_and_check(a, &p, a->paths, a->npaths);
    project_free(&p);
    return status < 0 ? 2 : status;
}

/* db.name, or a name that only one database of the project has. */
static Object *find_object(Project *p, const char *want, int *matches)
{
    Object *found = NULL;
    *matches = 0;
    for (int i = 0; i < p->object_list.n; i++) {
        Object *o = p->object_list.v[i];
        if (o->kind == OBJ_DROPPED || o->kind == OBJ_BROKEN)
            continue;
        if (strcmp(o->qname, want) == 0) {
            *matches = 1;
            return o;
        }
        if (name_is(o->name, want)) {
            found = o;
            ++*matches;
        }
    }
    return *matches == 1 ? found : NULL;
}

static void print_column_line(int i, Name name, const Type *t, bool json)
{
    const char *type = t ? t->name : "Unknown";
    if (json) {
        fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
        diag_json_string(stdout, name.s, name.len);
        fputs(",\"type\":", stdout);
        diag_json_string(stdout, type, strlen(type));
        fputc('}', stdout);
    } else
        printf("%.*s\t%s\n", (int)name.len, name.s, type);
}

/* An MV with a column list of its own has those columns (the server
 * lists them, whatever its query outputs). */
static void print_columns(const Object *o, bool json)
{
    if (json)
        fputc('[', stdout);
    const Decl *d = o->decl;
    if (d && d->kind == DECL_MV && d->columns.n) {
        for (int i = 0; i < d->columns.n; i++)
            print_column_line(i, d->columns.v[i]->name,
                              d->columns.v[i]->type ? d->columns.v[i]->type->resolved : NULL, json);
    } else {
        /* A table's Nested column n is listed as its fields n.a Array(T),
         * ..., which follow it, as the server lists them (flatten_nested,
         * the default: DESCRIBE TABLE on chDB 26.5 and 18.16). */
        for (int i = 0, k = 0; i < o->columns.n; i++) {
            const Type *t = o->columns.v[i].type;
            bool flattened = t && t->kind == TY_NESTED && i + 1 < o->columns.n && o->columns.v[i + 1].nested_field;
            if (!flattened)
                print_column_line(k++, o->columns.v[i].name, t, json);
        }
    }
    if (json)
        fputs("]\n", stdout);
}

/* Like ClickHouse's DESCRIBE: the columns of a table as declared, of a
 * view or MV as its query produces them (an MV's own list where it has one). */
static int run_describe(const Args *a)
{
    if (a->npaths < 2)
        return usage_error("%s", "describe needs SRC... and the NAME of an object");
    const char *want = a->paths[a->npaths - 1];
    Project p;
    project_start(&p, a);
    int status = load_and_check(a, &p, a->paths, a->npaths - 1);
    if (status >= 0) {
        int matches;
        Object *o = find_object(&p, want, &matches);
        if (o && o->kind != OBJ_FUNCTION && o->kind != OBJ_AGGREGATE && o->columns_known) {
            print_columns(o, a->json_out);
        } else {
            fprintf(stderr, "mvdc: %s '%s'\n",
                    matches > 1 ? "several databases have an object named; qualify it as db.name:"
                    : o ? "cannot tell the columns of" : "no table, view or materialized view named",
                    want);
            status = 1;
        }
    }
    project_free(&p);
    return status < 0 ? 2 : status;
}

static void print_diagnostics(const Args *a, Project *p)
{
    if (a->json)
        diag_print_json(&p->diags, stdout);
    else
        diag_print_text(&p->diags, stderr);
}

static int write_all(const char *path, const char *data, size_t len)
{
    int err = file_replace(path, data, len, true);
    if (err) {
        fprintf(stderr, "mvdc: cannot write %s: %s (it is unchanged)\n", path, strerror(err));
        return 2;
    }
    return 0;
}

/* Rewrites each file in canonical form, or with --check lists the files
 * that are not (exit 1). Files that do not parse are left alone (exit 1). */
static int run_fmt(const Args *a)
{
    if (a->npaths == 0)
        return usage_error("%s", "fmt needs at least one SRC (a .mvd file or a directory)");
    Project p;
    project_start(&p, a);
    int status = 0;
    if (!project_load(&p, a->paths, a->npaths))
        status = 2;
    for (int i = 0; status != 2 && i < p.files.n; i++) {
        SourceFile *f = p.files.v[i];
        StrBuf out = {0};
        if (!fmt_source(&p.arena, &p.diags, f, &out)) {
            status = 1;
        } else if (out.len != f->len || memcmp(out.s, f->text, f->len) != 0) {
            if (a->check_only) {
                printf("%s\n", f->path);
                status = 1;
            } else if (write_all(f->path, out.s ? out.s : "", out.len) != 0) {
                status = 2;
            }
        }
        strbuf_free(&out);
    }
    print_diagnostics(a, &p);
    project_free(&p);
    return status;
}

static int run_graph(const Args *a)
{
    if (a->npaths == 0)
        return usage_error("%s", "graph needs at least one SRC (a .mvd file or a directory)");
    bool mermaid = a->format && strcmp(a->format, "mermaid") == 0;
    if (a->format && !mermaid && strcmp(a->format, "dot") != 0)
        return usage_error("unknown graph format '%s' (dot or mermaid)", a->format);
    Project p;
    project_start(&p, a);
    int status = load_and_check(a, &p, a->paths, a->npaths);
    if (status == 0) {
        char *text = graph_render(&p, mermaid);
        fputs(text, stdout);
        free(text);
    }
    project_free(&p);
    return status < 0 ? 2 : status;
}

/* The plan at -o is the previous release only when it is a file: -o -
 * (standard output), -o /dev/stdout or a pipe is where the plan goes, not
 * something to read. */
static const char *previous_at(const char *output)
{
    struct stat st;
    if (strcmp(output, "-") == 0)
        return NULL;
    return stat(output, &st) == 0 && !S_ISREG(st.st_mode) ? NULL : output;
}

/* The previous plan: --previous, none, or what is at -o (which may not
 * exist yet: the first build). A --previous that names nothing is a
 * mistake, not a first build: building from nothing would silently drop
 * every ALTER. Returns false (the reason printed) for that. */
static bool previous_plan(const Args *a, const char *output, const char **path)
{
    *path = NULL;
    if (a->no_previous)
        return true;
    if (!a->previous) {
        *path = previous_at(output);
        return true;
    }
    if (access(a->previous, F_OK) != 0) {
        fprintf(stderr, "mvdc: cannot read %s (--previous): %s\n", a->previous, strerror(errno));
        fprintf(stderr, "note: to build from nothing, pass --no-previous instead\n");
        return false;
    }
    *path = a->previous;
    return true;
}

static int run_build(const Args *a)
{
    if (a->summary && strcmp(a->summary, "md") != 0 && strcmp(a->summary, "json") != 0)
        return usage_error("unknown summary format '%s' (md or json)", a->summary);
    if (a->npaths == 0)
        return usage_error("%s", "build needs at least one SRC (a .mvd file or a directory)");
    if (a->previous && a->no_previous)
        return usage_error("%s", "--previous and --no-previous contradict each other");
    const char *output = a->output ? a->output : "plan.sql";
    if (strcmp(output, "-") == 0 && (a->summary || a->check_only))
        return usage_error("%s", a->summary ? "-o - writes the plan to standard output, where --summary goes too: "
                                              "write the plan to a file"
                                            : "--check compares the plan in a file: -o - names none");
    const char *previous;
    if (!previous_plan(a, output, &previous))
        return 2;
    Project p;
    project_start(&p, a);
    int status = 2;
    if (project_load_library(&p, a->stdlib_dir) && project_load(&p, a->paths, a->npaths)) {
        Plan pl = {0};
        project_read_options(&p);
        check_doc_comments(&p);
        check_table_copies(&p);
        /* The CREATEs are printed and the previous plan read on other
         * threads while the checks run. */
        plan_begin(&pl, &p, previous);
        check_declarations(&p);
        status = 1;
        bool planned = !p.diags.errors && plan_build(&pl);
        if (!planned)
            plan_abandon(&pl);
        print_diagnostics(a, &p);
        if (planned && !p.diags.errors && (!a->werror || !p.diags.warnings)) {
            status = a->check_only ? plan_file_check(&pl, output) : plan_file_write(&pl, output);
            if (status != 2 && a->summary) {
                char *md = strcmp(a->summary, "json") == 0 ? summary_json(&pl) : summary_markdown(&pl);
                fputs(md, stdout);
                free(md);
            }
        }
    }
    project_free(&p);
    return status;
}

int main(int argc, char **argv)
{
    /* import has options of its own (compiler/import/import.c). */
    if (argc > 1 && strcmp(argv[1], "import") == 0)
        return import_main(argc - 1, argv + 1);
    Args a;
    int early = parse_args(argc, argv, &a);
    if (early >= 0)
        return early;
    if (strcmp(a.command, "check") == 0)
        return run_check(&a);
    if (strcmp(a.command, "describe") == 0)
        return run_describe(&a);
    if (strcmp(a.command, "build") == 0)
        return run_build(&a);
    if (strcmp(a.command, "fmt") == 0)
        return run_fmt(&a);
    if (strcmp(a.command, "graph") == 0)
        return run_graph(&a);
    return usage_error("unknown command '%s'", a.command);
}
