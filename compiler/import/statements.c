/* A .sql file cut into statements at the `;` between them, with the .mvd
 * lexer: strings, quoted names and comments are skipped as ClickHouse
 * skips them. Each statement keeps its tokens; a cursor reads them. */
#include <string.h>
#include <strings.h>

#include "import/imp.h"
#include "parser.h"

static bool word_eq(const SourceFile *f, Token t, const char *w, size_t n)
{
    return t.len == n && strncasecmp(f->text + t.off, w, n) == 0;
}

const Tok *imp_tok(const Cur *c)
{
    return c->i < c->st->toks.n ? &c->st->toks.v[c->i] : NULL;
}

bool imp_at_end(const Cur *c) { return c->i >= c->st->toks.n; }

Span imp_span(const Cur *c)
{
    const Tok *t = imp_tok(c);
    if (t)
        return (Span){t->t.off, t->t.len};
    return (Span){c->st->span.off + c->st->span.len, 0};
}

bool imp_is(const Cur *c, const char *word)
{
    const Tok *t = imp_tok(c);
    return t && word_eq(c->st->file, t->t, word, strlen(word));
}

bool imp_accept(Cur *c, const char *word)
{
    if (!imp_is(c, word))
        return false;
    c->i++;
    return true;
}

bool imp_accept_seq(Cur *c, const char *words)
{
    int save = c->i;
    const char *w = words;
    while (*w) {
        size_t n = strcspn(w, " ");
        const Tok *t = imp_tok(c);
        if (!t || !word_eq(c->st->file, t->t, w, n)) {
            c->i = save;
            return false;
        }
        c->i++;
        w += n;
        while (*w == ' ')
            w++;
    }
    return true;
}

static bool is_word_token(const SourceFile *f, const Tok *t)
{
    char ch = f->text[t->t.off];
    return t->type == TK_ID || ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

bool imp_name(Cur *c, Arena *a, Name *out)
{
    const Tok *t = imp_tok(c);
    if (!t || !is_word_token(c->st->file, t))
        return false;
    *out = ast_name(a, c->st->file->text, t->t.off, t->t.len);
    c->i++;
    return true;
}

bool imp_qname(Cur *c, Arena *a, QName *out)
{
    *out = (QName){0};
    Span first = imp_span(c);
    Name n;
    if (!imp_name(c, a, &n))
        return false;
    const Tok *t = imp_tok(c);
    if (t && t->type == TK_DOT) {
        c->i++;
        out->db = n;
        if (!imp_name(c, a, &n))
            return false;
    }
    out->name = n;
    out->span = span_cover(first, n.span);
    return true;
}

void imp_skip_cluster(Cur *c)
{
    int save = c->i;
    if (imp_accept_seq(c, "ON CLUSTER")) {
        const Tok *t = imp_tok(c);
        if (t)
            c->i++; /* a name or a string */
        else
            c->i = save;
    }
}

int imp_match(const Stmt *st, int i)
{
    int depth = 0;
    for (; i < st->toks.n; i++) {
        int k = st->toks.v[i].type;
        if (k == TK_LP || k == TK_LB || k == TK_LC)
            depth++;
        else if ((k == TK_RP || k == TK_RB || k == TK_RC) && --depth == 0)
            return i;
    }
    return st->toks.n;
}

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

int imp_statements(Arena *a, Diags *d, SourceFile *f, StmtList *out)
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
