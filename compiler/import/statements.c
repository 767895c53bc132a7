/* A .sql file cut into statements at the `;` between them, with the .mvd
 * lexer: strings, quoted names and comments are skipped as ClickHouse
 * skips them. Each statement keeps its tokens; a cursor reads them. */
#include <string.h>
#include <strings.h>

#include "import/imp.h"
#include "parser.h"

static void finish(Arena *a, SourceFile *f, Stmt *cur, StmtList *out)
{
    if (cur->toks.n) {
        Token first = cur->toks.v[0].t, last = cur->toks.v[cur->toks.n - 1].t;
        cur->file = f;
        cur->span = (Span){first.off, last.off + last.len - first.off};
        *LIST_PUSH(a, out) = *cur;
    }
    *cur = (Stmt){0};
}

int statements_cut(Arena *a, Diags *d, SourceFile *f, StmtList *out)
{
    Lexer lx;
    Token t;
    int tk;
    Stmt cur = {0};
    bool broken = false;
    int nbroken = 0;
    lex_init(&lx, f->text, f->len);
    while ((tk = lex_next(&lx, &t)) != 0) {
        if (tk == TK_DOC)
            continue; /* `---` is a comment to ClickHouse */
        if (tk == TK_SEMI) {
            if (!broken)
                finish(a, f, &cur, out);
            cur = (Stmt){0};
            broken = false;
            continue;
        }
        if (tk == TK_ILLEGAL) {
            diag_error(d, "import", f, (Span){t.off, t.len ? t.len : 1}, "%s: the statement is not imported",
                       lex_error_message(lx.error));
            nbroken += !broken;
            broken = true;
            if (lx.error != LEX_BAD_CHAR)
                break; /* an unterminated string or comment runs to the end */
            lx.cur = (const unsigned char *)f->text + t.off + (t.len ? t.len : 1);
            continue;
        }
        *LIST_PUSH(a, &cur.toks) = (Tok){tk, t};
    }
    if (!broken)
        finish(a, f, &cur, out);
    return nbroken;
}
