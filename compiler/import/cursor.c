/* A cursor over one statement's tokens: the words of ClickHouse DDL
 * (CREATE, IF NOT EXISTS, ON CLUSTER ...) read without a grammar, in any
 * case, around the pieces the .mvd parser reads (wrap.c). */
#include <string.h>
#include <strings.h>

#include "import/imp.h"
#include "parser.h"

static bool word_eq(const SourceFile *f, Token t, const char *w, size_t n)
{
    return t.len == n && strncasecmp(f->text + t.off, w, n) == 0;
}

const Tok *cursor_tok(const Cur *c)
{
    return c->i < c->st->toks.n ? &c->st->toks.v[c->i] : NULL;
}

bool cursor_at_end(const Cur *c) { return c->i >= c->st->toks.n; }

Span cursor_span(const Cur *c)
{
    const Tok *t = cursor_tok(c);
    if (t)
        return (Span){t->t.off, t->t.len};
    return (Span){c->st->span.off + c->st->span.len, 0};
}

bool cursor_is(const Cur *c, const char *word)
{
    const Tok *t = cursor_tok(c);
    return t && word_eq(c->st->file, t->t, word, strlen(word));
}

bool cursor_accept(Cur *c, const char *word)
{
    if (!cursor_is(c, word))
        return false;
    c->i++;
    return true;
}

bool cursor_accept_seq(Cur *c, const char *words)
{
    int save = c->i;
    const char *w = words;
    while (*w) {
        size_t n = strcspn(w, " ");
        const Tok *t = cursor_tok(c);
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

bool cursor_name(Cur *c, Arena *a, Name *out)
{
    const Tok *t = cursor_tok(c);
    if (!t || !is_word_token(c->st->file, t))
        return false;
    *out = ast_name(a, c->st->file->text, t->t.off, t->t.len);
    c->i++;
    return true;
}

bool cursor_qname(Cur *c, Arena *a, QName *out)
{
    *out = (QName){0};
    Span first = cursor_span(c);
    Name n;
    if (!cursor_name(c, a, &n))
        return false;
    const Tok *t = cursor_tok(c);
    if (t && t->type == TK_DOT) {
        c->i++;
        out->db = n;
        if (!cursor_name(c, a, &n))
            return false;
    }
    out->name = n;
    out->span = span_cover(first, n.span);
    return true;
}

void cursor_skip_cluster(Cur *c)
{
    int save = c->i;
    if (cursor_accept_seq(c, "ON CLUSTER")) {
        const Tok *t = cursor_tok(c);
        if (t)
            c->i++; /* a name or a string */
        else
            c->i = save;
    }
}

int cursor_match(const Stmt *st, int i)
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

