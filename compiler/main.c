/* mvdc: the command line. Each command is a short function over the
 * pipeline in project.h; this file only reads arguments, runs it and
 * chooses the exit status (0 clean, 1 errors reported, 2 bad usage or an
 * unreadable file). */
#include <stdio.h>
#include <string.h>

#include "project.h"

#define MVD_VERSION "0.1.0"

typedef struct Args {
    const char *command;
    char **paths;
    int npaths;
    bool json;
    bool werror;
    const char *stdlib_dir;
} Args;

static const char usage[] =
    "usage: mvdc <command> [options] SRC...\n"
    "\n"
    "commands:\n"
    "  check SRC...     parse, resolve and check every .mvd file under SRC\n"
    "\n"
    "options:\n"
    "  --diagnostics=text|json   how to print diagnostics (default text)\n"
    "  --werror                  exit 1 on warnings too\n"
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

static int run_check(const Args *a)
{
    if (a->npaths == 0)
        return usage_error("%s", "check needs at least one SRC (a .mvd file or a directory)");
    Project p;
    project_init(&p);
    int status = 2;
    if (project_load_library(&p, a->stdlib_dir) && project_load(&p, a->paths, a->npaths)) {
        project_check(&p);
        if (a->json)
            diag_print_json(&p.diags, stdout);
        else
            diag_print_text(&p.diags, stderr);
        status = p.diags.errors || (a->werror && p.diags.warnings) ? 1 : 0;
    }
    project_free(&p);
    return status;
}

int main(int argc, char **argv)
{
    Args a;
    int early = parse_args(argc, argv, &a);
    if (early >= 0)
        return early;
    if (strcmp(a.command, "check") == 0)
        return run_check(&a);
    return usage_error("unknown command '%s'", a.command);
}
