/* Diagnostics: positions, caret drawing, JSON escaping, ordering, and
 * doc comments attached by the parser. */
#include <stdlib.h>

#include "syntax/diag.h"
#include "syntax/parse.h"
#include "unit.h"

static char *capture(Diags *d, int json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (json)
        diag_print_json(d, f);
    else
        diag_print_text(d, f);
    fclose(f);
    return buf;
}

static void caret_and_order(UnitState *st)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, &a);
    const char *src = "line one\n\tsélect x;\n";
    SourceFile *f = source_from_string(&a, "f.mvd", src, strlen(src));
    diag_error(&d, "syntax", f, (Span){18, 1}, "second");  /* the x, after a tab and a 2-byte é */
    diag_warning(&d, "lineage-unused", f, (Span){0, 4}, "first");
    char *out = capture(&d, 0);
    EXPECT_STR(st, out,
               "f.mvd:1:1: warning[lineage-unused]: first\n    line one\n    ^~~~\n"
               "f.mvd:2:10: error[syntax]: second\n    \tsélect x;\n    \t       ^\n");
    free(out);
    arena_free(&a);
}

static void json_escapes(UnitState *st)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, &a);
    SourceFile *f = source_from_string(&a, "a\"b.mvd", "x", 1);
    Diag *g = diag_error(&d, "unknown-column", f, (Span){0, 1}, "say \"hi\"\tnow");
    diag_note(&d, g, NULL, (Span){0}, "hint");
    char *out = capture(&d, 1);
    EXPECT_STR(st, out,
               "{\"file\":\"a\\\"b.mvd\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":2,"
               "\"severity\":\"error\",\"check\":\"unknown-column\",\"message\":\"say \\\"hi\\\"\\tnow\","
               "\"notes\":[{\"message\":\"hint\"}]}\n");
    free(out);
    arena_free(&a);
}

static void doc_comments(UnitState *st)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, &a);
    const char *src = "database db;\n--- Raw events.\n--- Second line.\ntable t (\n  --- the key\n  k UInt64,\n\n"
                      "  --- detached\n\n  v String) engine = Log;\n";
    SourceFile *f = source_from_string(&a, "d.mvd", src, strlen(src));
    DeclList decls = {0};
    parse_source(&a, &d, f, &decls);
    EXPECT(st, d.errors == 0 && decls.n == 2);
    if (decls.n == 2) {
        Decl *t = decls.v[1];
        Span doc = t->doc;
        EXPECT(st, doc.len && strncmp(src + doc.off, "--- Raw events.\n--- Second line.", doc.len) == 0);
        EXPECT(st, t->columns.n == 2 && t->columns.v[0]->mods && t->columns.v[0]->mods->doc.len == strlen("--- the key"));
        EXPECT(st, t->columns.n == 2 && t->columns.v[1]->mods == NULL);
    }
    arena_free(&a);
}

const UnitTest diag_tests[] = {
    {"diag/caret_and_order", caret_and_order},
    {"diag/json_escapes", json_escapes},
    {"diag/doc_comments", doc_comments},
    {0, 0},
};
