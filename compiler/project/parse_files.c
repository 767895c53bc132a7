/* Parsing a project's files, several at a time (project_load).
 *
 * Until they are parsed, files know nothing of each other: each is lexed
 * and parsed on one of a few threads, into that thread's own arena and
 * diagnostics. The declarations and diagnostics are then joined in path
 * order and the arenas handed to the project, so the result is exactly
 * what one thread would have produced; only the time differs (parsing
 * is a third of `mvdc build`). */
#include <string.h>

#include "base/parallel.h"
#include "syntax/parse.h"
#include "project/project.h"

/* A thread is worth starting for this much source; below it the project
 * is parsed on the calling thread alone. */
enum { BYTES_PER_WORKER = 512 * 1024 };

typedef struct FileJob {
    SourceFile *file;
    DeclList decls;
    int worker;                /* whose Diags hold its diagnostics */
    int diag_first, diag_end;  /* which of them */
} FileJob;

typedef struct Worker {
    Arena arena;
    Diags diags;
} Worker;

typedef struct Files {
    FileJob *jobs;
    Worker workers[PARALLEL_MAX_WORKERS];
} Files;

void parse_file(Arena *a, Diags *d, SourceFile *f, DeclList *out)
{
    if (f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0) {
        /* A byte order mark says nothing to a UTF-8 reader: blank it so that
         * every offset stays as in the file (a mapped file is read-only:
         * it gets a private copy first). */
        if (f->mapped) {
            char *copy = arena_strndup(a, f->text, f->len);
            source_close(f);
            f->text = copy;
        }
        memset((char *)f->text, ' ', 3);
    }
    size_t bad = source_invalid_utf8_at(f);
    if (bad < f->len) {
        diag_error(d, "syntax", f, (Span){(uint32_t)bad, 1}, "invalid UTF-8: .mvd files are UTF-8 text");
        return;
    }
    parse_source(a, d, f, out);
}

static void parse_one(void *ctx, int worker, int item)
{
    Files *fs = ctx;
    FileJob *j = &fs->jobs[item];
    Worker *w = &fs->workers[worker];
    j->worker = worker;
    j->diag_first = w->diags.list.n;
    parse_file(&w->arena, &w->diags, j->file, &j->decls);
    j->diag_end = w->diags.list.n;
}

/* Declarations, then diagnostics, file by file in the order given. */
static void join(Project *p, Files *fs, int n, int nworkers)
{
    for (int i = 0; i < n; i++) {
        FileJob *j = &fs->jobs[i];
        for (int k = 0; k < j->decls.n; k++)
            *LIST_PUSH(&p->arena, &p->decls) = j->decls.v[k];
        for (int k = j->diag_first; k < j->diag_end; k++) {
            Diag *g = fs->workers[j->worker].diags.list.v[k];
            g->seq = p->diags.list.n;
            *LIST_PUSH(&p->arena, &p->diags.list) = g;
            if (g->sev == SEV_ERROR)
                p->diags.errors++;
            else
                p->diags.warnings++;
        }
    }
    for (int t = 0; t < nworkers; t++)
        arena_adopt(&p->arena, &fs->workers[t].arena);
}

void parse_files(Project *p, SourceFile *const *files, int n)
{
    size_t bytes = 0;
    for (int i = 0; i < n; i++)
        bytes += files[i]->len;
    int nworkers = parallel_workers(p->max_threads, n, bytes, BYTES_PER_WORKER);
    if (nworkers == 1) {
        for (int i = 0; i < n; i++)
            parse_file(&p->arena, &p->diags, files[i], &p->decls);
        return;
    }
    Files fs = {.jobs = arena_zalloc(&p->arena, sizeof(FileJob) * (size_t)n)};
    for (int i = 0; i < n; i++)
        fs.jobs[i].file = files[i];
    for (int t = 0; t < nworkers; t++) {
        arena_init(&fs.workers[t].arena);
        diag_init(&fs.workers[t].diags, &fs.workers[t].arena);
    }
    parallel_for(n, nworkers, parse_one, &fs);
    join(p, &fs, n, nworkers);
}
