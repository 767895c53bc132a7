/* Parses lone SELECT bodies, as the corpus test and the fuzzer need:
 *   parse_corpus FILE...      exit 0 when every file parses
 *   parse_corpus --expect-error FILE...
 *       each file's first line is `-- expect: LINE:COL`; exit 0 when each
 *       file gives exactly one syntax error, at that position.
 * Prints one `PASS name` or `FAIL name: why` line per file. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "syntax/diag.h"
#include "syntax/parse.h"
#include "syntax/source.h"

static int check_ok(Arena *a, Diags *d, SourceFile *f)
{
    if (parse_select_source(a, d, f) && d->errors == 0)
        return 1;
    diag_print_text(d, stdout);
    return 0;
}

static int check_error(Arena *a, Diags *d, SourceFile *f)
{
    int want_line, want_col;
    if (sscanf(f->text, "-- expect: %d:%d", &want_line, &want_col) != 2) {
        printf("FAIL %s: no `-- expect: LINE:COL` first line\n", f->path);
        return 0;
    }
    parse_select_source(a, d, f);
    if (d->errors != 1) {
        printf("FAIL %s: %d errors, expected 1\n", f->path, d->errors);
        diag_print_text(d, stdout);
        return 0;
    }
    Diag *g = d->list.v[0];
    int line, col;
    source_position(a, f, g->span.off, &line, &col);
    if (line != want_line || col != want_col || strcmp(g->check, "syntax") != 0) {
        printf("FAIL %s: error at %d:%d, expected %d:%d\n", f->path, line, col, want_line, want_col);
        diag_print_text(d, stdout);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    int expect_error = argc > 1 && strcmp(argv[1], "--expect-error") == 0;
    int failed = 0;
    for (int i = 1 + expect_error; i < argc; i++) {
        Arena a;
        arena_init(&a);
        Diags d;
        diag_init(&d, &a);
        SourceFile *f = source_read(&a, argv[i]);
        int ok = f && (expect_error ? check_error(&a, &d, f) : check_ok(&a, &d, f));
        if (!f)
            printf("FAIL %s: cannot read\n", argv[i]);
        else if (ok)
            printf("PASS %s\n", argv[i]);
        else if (!expect_error)
            printf("FAIL %s\n", argv[i]);
        failed += !ok;
        arena_free(&a);
    }
    return failed ? 1 : 0;
}
