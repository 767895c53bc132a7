/* Keeping hashes across mvdc versions (plan.c).
 *
 * An object's hash is the SHA-256 of its CREATE as this mvdc prints it. A
 * later mvdc may print the same definition differently -- quote a name
 * that has become a keyword, break a line elsewhere -- and the hash would
 * change although nothing else did: the plan would ALTER a table that
 * needs nothing, or rebuild an MV for nothing, with a window in which its
 * rows are lost. So an object whose hash differs from the previous plan's
 * is first compared with the previous plan's CREATE, token by token, with
 * identifiers unquoted and layout ignored. When both are the same
 * statement, and (for a view or MV) nothing it reads or writes changes
 * either, it keeps its previous hash: the plan then needs no step for it.
 * Anything more than spacing and quoting is a change. */
#include <string.h>
#include <strings.h>

#include "syntax/lexer.h"
#include "parser.h"
#include "plan/plan.h"

typedef struct Tokens {
    Lexer lx;
    const char *src;
    bool in_head;  /* before the first AS or `(`: the plan's own words may come */
} Tokens;

static bool word_is(const char *src, Token t, const char *w)
{
    size_t n = strlen(w);
    return t.len == n && strncasecmp(src + t.off, w, n) == 0;
}

/* The next token, past IF NOT EXISTS, OR REPLACE and ON CLUSTER name in
 * the statement's head: options of the plan, not of the object. */
static int next_token(Tokens *ts, Token *t)
{
    for (;;) {
        int tk = lex_next(&ts->lx, t);
        if (!ts->in_head)
            return tk;
        if (tk == TK_AS || tk == TK_LP || tk == 0) {
            ts->in_head = false;
            return tk;
        }
        Token skip;
        if (tk == TK_OR) {
            lex_next(&ts->lx, &skip); /* REPLACE */
        } else if (tk == TK_ID && word_is(ts->src, *t, "IF")) {
            lex_next(&ts->lx, &skip); /* NOT */
            lex_next(&ts->lx, &skip); /* EXISTS */
        } else if (tk == TK_ON) {
            lex_next(&ts->lx, &skip); /* CLUSTER */
            lex_next(&ts->lx, &skip); /* its name */
        } else {
            return tk;
        }
    }
}

static bool is_word(const char *s, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i && c >= '0' && c <= '9')))
            return false;
    }
    return len > 0;
}

/* A name as ClickHouse reads it: `a``b` and "x" unquoted. */
static Name token_name(Arena *a, const char *src, int tk, Token t)
{
    if (tk == TK_ID)
        return ast_name(a, src, t.off, t.len);
    return (Name){.s = src + t.off, .len = t.len, .span = {t.off, t.len}};
}

static bool is_name(const char *src, int tk, Token t)
{
    return tk == TK_ID || is_word(src + t.off, t.len);
}

/* Whether two CREATE statements differ only in layout and quoting. */
static bool same_statement(Arena *scratch, const char *a, const char *b)
{
    Tokens x = {.src = a, .in_head = true}, y = {.src = b, .in_head = true};
    lex_init(&x.lx, a, strlen(a));
    lex_init(&y.lx, b, strlen(b));
    for (;;) {
        Token s, t;
        int p = next_token(&x, &s), q = next_token(&y, &t);
        if (p == 0 || q == 0)
            return p == q;
        if (p == TK_ILLEGAL || q == TK_ILLEGAL)
            return false;
        if (is_name(a, p, s) && is_name(b, q, t)) {
            if (!name_eq(token_name(scratch, a, p, s), token_name(scratch, b, q, t)))
                return false;
        } else if (p != q || s.len != t.len || memcmp(a + s.off, b + t.off, s.len) != 0) {
            return false;
        }
    }
}

/* The previous plan's CREATE for m at the hash it had, or NULL. */
static const char *previous_create(const Plan *pl, const Managed *m)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->kind, m->kind) == 0 && s->sets && strcmp(s->sets, m->prev->hash) == 0 &&
            (strcmp(s->action, "create") == 0 || strcmp(s->action, "replace") == 0))
            return s->sql;
    }
    return NULL;
}

static bool unchanged(const Managed *m)
{
    return !m->prev || strcmp(m->prev->hash, m->hash) == 0;
}

/* A view or MV is only the same when what it reads and writes is. */
static bool inputs_unchanged(const Plan *pl, const Managed *m)
{
    if (!m->obj)
        return true;
    for (int i = 0; i < m->obj->reads.n; i++) {
        const Object *o = m->obj->reads.v[i];
        if (o && o->managed && !unchanged(&pl->objects.v[o->managed - 1]))
            return false;
    }
    const Object *t = m->obj->target;
    return !t || !t->managed || unchanged(&pl->objects.v[t->managed - 1]);
}

static bool respelled(Plan *pl, Managed *m)
{
    if (unchanged(m) || !m->decl || m->decl->kind == DECL_DATABASE)
        return false;
    if ((m->decl->kind == DECL_VIEW || m->decl->kind == DECL_MV) && !inputs_unchanged(pl, m))
        return false;
    const char *old = previous_create(pl, m);
    Arena *scratch = &pl->project->scratch;
    ArenaMark mark = arena_mark(scratch);
    bool same = old && same_statement(scratch, old, m->create);
    arena_release(scratch, mark);
    if (same)
        memcpy(m->hash, m->prev->hash, sizeof m->hash);
    return same;
}

void respell_keep_hashes(Plan *pl)
{
    if (!pl->prev.present)
        return;
    /* Tables and functions first, then views and MVs until none changes
     * (a view of a view is decided after the view it reads). */
    for (int i = 0; i < pl->objects.n; i++) {
        DeclKind k = pl->objects.v[i].decl->kind;
        if (k == DECL_TABLE || k == DECL_FUNCTION)
            respelled(pl, &pl->objects.v[i]);
    }
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < pl->objects.n; i++) {
            DeclKind k = pl->objects.v[i].decl->kind;
            if ((k == DECL_VIEW || k == DECL_MV) && respelled(pl, &pl->objects.v[i]))
                again = true;
        }
    }
}
