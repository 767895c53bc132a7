/* Prints lone SELECTs canonically, for the printer's differential test
 * (tests/printer/run.sh) and the corpus measurement (tests/bench/select_fidelity.py):
 *
 *   select_print < statements
 *
 * Statements come from stdin separated by lines holding only `;;` (as
 * build/engines/chdb_query reads them). Each is parsed as a SELECT body and
 * printed as the plan prints it, then a `;;` line. A statement that does
 * not parse prints `ERROR line:col message` instead. Always exits 0 unless
 * stdin cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "syntax/diag.h"
#include "syntax/parse.h"
#include "print/print.h"
#include "syntax/source.h"

static void print_one(const char *text, size_t len, StrBuf *out)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, &a);
    char *copy = arena_alloc(&a, len + 1); /* the lexer stops at a NUL */
    memcpy(copy, text, len);
    copy[len] = '\0';
    SourceFile *f = source_from_string(&a, "stdin", copy, len);
    Select *q = f ? parse_select_source(&a, &d, f) : NULL;
    if (q) {
        Printer p = {.out = out, .src = f->text, .mode = PRINT_SQL};
        print_select(&p, q);
        strbuf_putc(out, '\n');
    } else if (f && d.list.n) {
        Diag *g = d.list.v[0];
        int line, col;
        source_position(&a, f, g->span.off, &line, &col);
        strbuf_printf(out, "ERROR %d:%d %s\n", line, col, g->msg);
    } else {
        strbuf_puts(out, "ERROR 0:0 cannot read\n");
    }
    strbuf_puts(out, ";;\n");
    arena_free(&a);
}

int main(void)
{
    StrBuf in = {0}, out = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        strbuf_add(&in, buf, n);
    if (ferror(stdin))
        return 1;
    const char *s = in.len ? strbuf_str(&in) : "";
    size_t start = 0, len = in.len;
    for (size_t i = 0; i <= len; i++) {
        bool line_start = i == 0 || s[i - 1] == '\n';
        bool sep = line_start && i + 2 <= len && s[i] == ';' && s[i + 1] == ';' &&
                   (i + 2 == len || s[i + 2] == '\n');
        if (!sep && i < len)
            continue;
        if (i > start || sep)
            print_one(s + start, i - start, &out);
        start = i + 3;
        i += 2;
        fwrite(strbuf_str(&out), 1, out.len, stdout);
        out.len = 0;
    }
    strbuf_free(&in);
    strbuf_free(&out);
    return 0;
}
