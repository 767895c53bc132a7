/* chdb_slow_threads: an LD_PRELOAD library for the test
 * chdb-exit-with-busy-threads (mvrun_test.py): chDB's threads held back
 * at the worst moment of a host's exit.
 *
 * chdb_close_conn waits until the jobs of chDB's thread pool have
 * signalled their end, and returns while a pool thread may still have
 * code of libchdb.so to run before it sleeps again. On a busy machine the
 * scheduler can keep that thread off the CPU for a while, and a host that
 * unmaps the library meanwhile (dlclose) makes it die with SIGSEGV when it
 * runs again: mvrun did, rarely, at exit after its report.
 *
 * Here, once the program has called chdb_close_conn (before, queries run
 * at their usual speed), each thread other than the main one that wakes
 * another (pthread_cond_signal or _broadcast, which libchdb.so calls
 * through its PLT) is kept off the CPU for up to CHDB_SLOW_MS milliseconds
 * (100 unless set), and let go at once when the page of libchdb.so it
 * returns to is unmapped: as the scheduler could do, at the moment that
 * hurts. A host that keeps the library loaded ends while those threads
 * wait; the mvrun that unloaded it crashed in 8 runs of 8 (1.5 s each).
 * The engine is real and does everything it would; only its threads'
 * timing changes.
 *
 * chdb_close_conn is found by wrapping dlsym, which is how mvrun (and
 * tests/engines/chdb_query.c) reach the library's functions; a dlsym
 * (RTLD_NEXT, ...) through the wrapper would search after this library
 * rather than after its caller (nothing here asks for one). mvrun's own
 * threads (the recorder, progress) run on HTTP only, so on chDB the
 * threads held back are chDB's. A test aid with process-wide state, as an
 * LD_PRELOAD library must be. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef void *(*DlsymFn)(void *, const char *);
typedef void (*CloseFn)(void *);
typedef int (*CondFn)(pthread_cond_t *);

static atomic_int closing;
static _Atomic(CloseFn) real_close;

/* glibc's own, by version: GLIBC_2.34 since dlsym moved into libc, and
 * 2.3.2 for the condition variables that libchdb.so links against (the
 * unversioned lookup could return the old-ABI compatibility ones). */
static void *libc_sym(const char *name, const char *version, const char *older)
{
    void *p = dlvsym(RTLD_NEXT, name, version);
    if (!p && older)
        p = dlvsym(RTLD_NEXT, name, older);
    if (!p)
        abort();
    return p;
}

static void close_conn(void *conn)
{
    atomic_store(&closing, 1);
    atomic_load(&real_close)(conn);
}

void *dlsym(void *restrict handle, const char *restrict name)
{
    DlsymFn real;
    void *p = libc_sym("dlsym", "GLIBC_2.34", "GLIBC_2.2.5");
    memcpy(&real, &p, sizeof real);
    void *fn = real(handle, name);
    if (fn && strcmp(name, "chdb_close_conn") == 0) {
        CloseFn c, mine = close_conn;
        memcpy(&c, &fn, sizeof c);
        atomic_store(&real_close, c);
        memcpy(&fn, &mine, sizeof fn);
    }
    return fn;
}

/* Whether the page holding code is still mapped (mincore fails with
 * ENOMEM on an unmapped one). */
static int mapped(const void *code)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char in_core;
    void *start = (void *)((uintptr_t)code & ~(uintptr_t)(page - 1));
    return !(mincore(start, (size_t)page, &in_core) != 0 && errno == ENOMEM);
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void hold_back(const void *caller)
{
    if (!atomic_load(&closing) || gettid() == getpid())
        return;
    const char *ms = getenv("CHDB_SLOW_MS");
    long long until = now_us() + (ms && *ms ? atoll(ms) : 100) * 1000;
    struct timespec step = {0, 20 * 1000};
    while (now_us() < until && mapped(caller))
        nanosleep(&step, NULL);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    CondFn real;
    void *p = libc_sym("pthread_cond_signal", "GLIBC_2.3.2", NULL);
    memcpy(&real, &p, sizeof real);
    int rc = real(cond);
    hold_back(__builtin_return_address(0));
    return rc;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    CondFn real;
    void *p = libc_sym("pthread_cond_broadcast", "GLIBC_2.3.2", NULL);
    memcpy(&real, &p, sizeof real);
    int rc = real(cond);
    hold_back(__builtin_return_address(0));
    return rc;
}
