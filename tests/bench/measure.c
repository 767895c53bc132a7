/*
 * measure: run a command and report its wall time and peak memory.
 *
 *   measure [-o FILE] LABEL -- CMD ARGS...
 *
 * prints one line
 *
 *   LABEL<TAB>wall_ms<TAB>peak_rss_kib<TAB>exit_code
 *
 * to stdout, or appends it to FILE with -o (so that the command's own
 * stdout can be captured apart from the measurement).  exit_code is the
 * command's exit status, 128+N when signal N killed it, 127 when it could
 * not be started.  measure itself exits 0 whenever it could measure, even
 * when the command failed: the caller decides what a failure means.
 *
 * Why not /usr/bin/time: it is not installed on fresh machines, and bash's
 * `time` does not report memory.  wait4() gives the rusage of exactly the
 * one child, so the peak RSS is mvdc's own, not a shell's.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4() */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct result {
    long long wall_ms;
    long peak_rss_kib;
    int exit_code;
};

static long long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
    return (long long)(b->tv_sec - a->tv_sec) * 1000 +
           (b->tv_nsec - a->tv_nsec) / 1000000;
}

static int exit_code_of(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status); /* as a shell would report it */
    return 1;
}

/* The child reports a failed exec as 127, like a shell. */
static void exec_child(char **argv)
{
    execvp(argv[0], argv);
    fprintf(stderr, "measure: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int run(char **argv, struct result *res)
{
    struct timespec start, end;
    struct rusage ru;
    int status;
    pid_t pid, got;

    fflush(NULL); /* nothing buffered may be written twice by the child */
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return -1;
    }
    if (pid == 0)
        exec_child(argv);
    do
        got = wait4(pid, &status, 0, &ru);
    while (got < 0 && errno == EINTR);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (got < 0) {
        perror("measure: wait4");
        return -1;
    }
    res->wall_ms = elapsed_ms(&start, &end);
    res->peak_rss_kib = ru.ru_maxrss; /* Linux reports KiB */
    res->exit_code = exit_code_of(status);
    return 0;
}

static int report(const char *path, const char *label, const struct result *r)
{
    FILE *f = path ? fopen(path, "a") : stdout;
    int failed;

    if (!f) {
        fprintf(stderr, "measure: cannot open %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    fprintf(f, "%s\t%lld\t%ld\t%d\n", label, r->wall_ms, r->peak_rss_kib,
            r->exit_code);
    failed = ferror(f);
    if ((path ? fclose(f) : fflush(f)) != 0 || failed) {
        perror("measure: write");
        return -1;
    }
    return 0;
}

static void usage(void)
{
    fputs("usage: measure [-o FILE] LABEL -- CMD ARGS...\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    struct result r;
    int i = 1;

    if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
        out = argv[i + 1];
        i += 2;
    }
    if (argc - i < 3 || strcmp(argv[i + 1], "--") != 0)
        usage();
    if (run(argv + i + 2, &r) != 0)
        return 1;
    return report(out, argv[i], &r) == 0 ? 0 : 1;
}
