/* The plan file on disk: `mvdc build` writes it, `mvdc build --check`
 * compares it, both straight from emit.c's chunks.
 *
 * A plan is written to a temporary file beside it and renamed over the
 * old one (file_replace.c), so an interrupted build leaves the previous
 * plan (or none), never half of a new one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_replace.h"
#include "plan/plan.h"
#include "strbuf.h"

typedef struct FileOut {
    int fd;
    int error; /* errno of the first failed write */
} FileOut;

static bool put_in_file(void *ctx, size_t offset, const char *data, size_t len)
{
    FileOut *out = ctx;
    while (len) {
        ssize_t n = pwrite(out->fd, data, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            out->error = n < 0 ? errno : EIO;
            return false;
        }
        data += n;
        offset += (size_t)n;
        len -= (size_t)n;
    }
    return true;
}

/* Somewhere that is not a file (-o /dev/stdout, a pipe, -o - for
 * standard output): written from the start, in one piece, as it cannot be
 * renamed over. */
static int write_stream(const Plan *pl, const char *path)
{
    size_t len;
    char *text = emit_plan_text(pl, &len);
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && (to_stdout ? fflush(f) : fclose(f)) != 0)
        ok = false;
    free(text);
    if (!ok)
        fprintf(stderr, "mvdc: cannot write %s: %s\n", to_stdout ? "the plan to standard output" : path,
                strerror(errno));
    return ok ? 0 : 2;
}

int plan_file_write(const Plan *pl, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return write_stream(pl, path);
    FileReplace r;
    int err = file_replace_open(&r, path, false);
    if (!err) {
        FileOut out = {.fd = r.fd};
        PlanSink sink = {put_in_file, &out};
        bool ok = emit_plan(pl, &sink);
        err = file_replace_finish(&r, ok ? 0 : out.error ? out.error : EIO);
    }
    if (err) {
        fprintf(stderr, "mvdc: cannot write %s: %s (%s is unchanged)\n", path, strerror(err), path);
        return 2;
    }
    return 0;
}

typedef struct Compare {
    StrBuf have;   /* the committed plan */
    size_t end;    /* how far the new plan reaches */
    bool differs;
} Compare;

static bool put_compare(void *ctx, size_t offset, const char *data, size_t len)
{
    Compare *c = ctx;
    if (offset + len > c->end)
        c->end = offset + len;
    if (offset + len > c->have.len || memcmp(c->have.s + offset, data, len) != 0)
        c->differs = true;
    return !c->differs; /* the first difference settles it */
}

int plan_file_check(const Plan *pl, const char *path)
{
    Compare c = {0};
    int status = 0;
    if (!strbuf_read_file(&c.have, path)) {
        fprintf(stderr, "mvdc: %s does not exist: run mvdc build -o %s\n", path, path);
        status = 1;
    } else {
        PlanSink sink = {put_compare, &c};
        emit_plan(pl, &sink);
        if (c.differs || c.end != c.have.len) {
            fprintf(stderr, "mvdc: %s is stale: the sources give a different plan; run mvdc build -o %s "
                            "and commit the result\n", path, path);
            status = 1;
        } else {
            fprintf(stderr, "mvdc: %s is up to date\n", path);
        }
    }
    strbuf_free(&c.have);
    return status;
}
