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
 * Anything more than spacing, quoting and the parentheses around a key or
 * a column's expression as a whole (`ORDER BY (x)` is `ORDER BY x`: mvdc
 * before 2026-12 dropped them, ClickHouse reads both as one key) is a
 * change. */
#include <string.h>
#include <strings.h>

#include "syntax/lexer.h"
#include "parser.h"
#include "plan/plan.h"

enum { MAX_LAYOUT_PARENS = 8 };

typedef struct Tokens {
    Lexer lx;
    const char *src;
    bool in_head;  /* before the first AS or `(`: the plan's own words may come */
    Token last;    /* the token compared last (both sides had the same) */
    int depth;     /* parentheses open */
    int layout[MAX_LAYOUT_PARENS];  /* depths opened by a `(` that is layout */
    int n_layout;
    int engine_words;  /* of `ENGINE = Name (` seen so far; 4 once past them */
    int engine_depth;  /* the depth inside the engine's parentheses, or 0 */
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

static bool word_in(const char *src, Token t, const char *const *words)
{
    for (; *words; words++)
        if (word_is(src, t, *words))
            return true;
    return false;
}

/* The next token, with the `)` of a layout `(` left out. */
static int next_counted(Tokens *ts, Token *t)
{
    for (;;) {
        int tk = next_token(ts, t);
        if (tk == TK_LP)
            ts->depth++;
        if (tk != TK_RP)
            return tk;
        bool layout = ts->n_layout && ts->layout[ts->n_layout - 1] == ts->depth;
        ts->depth--;
        if (!layout)
            return tk;
        ts->n_layout--;
    }
}

/* Whether the `(` just read (and counted) holds one expression that
 * stands alone after its keyword: `ORDER BY (x)`, `DEFAULT (a * 2),`.
 * Around a whole key or column expression the parentheses are layout;
 * anywhere else (`(a + b) * c`, a call, a tuple) they are meaning. */
static bool parens_are_layout(const Tokens *ts)
{
    static const char *const before[] = {"BY", "KEY", "DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL", NULL};
    static const char *const after[] = {"ORDER", "PRIMARY", "PARTITION", "SAMPLE", "TTL", "SETTINGS",
                                        "COMMENT", "CODEC", "SOURCE", "LAYOUT", "LIFETIME", "RANGE", NULL};
    if (!word_in(ts->src, ts->last, before) || ts->n_layout == MAX_LAYOUT_PARENS)
        return false;
    Lexer lx = ts->lx;
    Token t;
    int depth = 1, tokens = 0, tk;
    while ((tk = lex_next(&lx, &t)) != 0 && tk != TK_ILLEGAL) {
        if (tk == TK_LP)
            depth++;
        else if (tk == TK_RP && --depth == 0)
            break;
        else if (tk == TK_COMMA && depth == 1)
            return false; /* (a, b) is a tuple */
        tokens++;
    }
    if (tk != TK_RP || tokens == 0)
        return false;
    tk = lex_next(&lx, &t);
    return tk == 0 || tk == TK_COMMA || tk == TK_RP || tk == TK_SEMI || word_in(ts->src, t, after);
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

/* Reads past a `(` that only one side has, when it is layout. */
static bool skip_layout_paren(Tokens *ts, int *tk, Token *t)
{
    if (!parens_are_layout(ts))
        return false;
    ts->layout[ts->n_layout++] = ts->depth;
    *tk = next_counted(ts, t);
    return true;
}

/* Follows `ENGINE = Name (` ... `)`: engine_depth is the depth inside
 * the engine's parentheses while there, else 0. */
static void track_engine(Tokens *ts, int tk, Token t)
{
    if (ts->engine_depth && ts->depth < ts->engine_depth)
        ts->engine_depth = 0;
    if (ts->engine_words == 0 && word_is(ts->src, t, "ENGINE"))
        ts->engine_words = 1;
    else if (ts->engine_words == 1 && tk == TK_EQ)
        ts->engine_words = 2;
    else if (ts->engine_words == 2 && tk == TK_ID)
        ts->engine_words = 3;
    else if (ts->engine_words == 3 && tk == TK_LP)
        ts->engine_depth = ts->depth, ts->engine_words = 4;
    else if (ts->engine_words < 4)
        ts->engine_words = 0;
}

/* mvdc before 2026-12 wrote currentDatabase() among a table's engine
 * arguments as the source has it, and the server took mvrun's session
 * database for it; the plan now writes the table's own ('db', print/sql.c).
 * The two are one version: the table keeps its hash, and one made by the
 * older plan keeps what the server made of it (docs/plan-format.md).
 * Whether ts (just past `ENGINE = Name (` or a `,` inside) reads
 * `currentDatabase()` and lit is 'db': then ts is moved past it. */
static bool current_database_is(Tokens *ts, int tk, Token t, const char *other, Token lit, Name db)
{
    if (!ts->engine_depth || ts->depth != ts->engine_depth || tk != TK_ID || !word_is(ts->src, t, "currentDatabase") ||
        lit.len != db.len + 2 || other[lit.off] != '\'' || memcmp(other + lit.off + 1, db.s, db.len) != 0)
        return false;
    Tokens look = *ts;
    Token u;
    if (next_counted(&look, &u) != TK_LP || next_counted(&look, &u) != TK_RP)
        return false;
    *ts = look;
    return true;
}

/* Whether two CREATE statements differ only in layout and quoting. */
static bool same_statement(Arena *scratch, const char *a, const char *b, Name db)
{
    Tokens x = {.src = a, .in_head = true}, y = {.src = b, .in_head = true};
    lex_init(&x.lx, a, strlen(a));
    lex_init(&y.lx, b, strlen(b));
    for (;;) {
        Token s, t;
        int p = next_counted(&x, &s), q = next_counted(&y, &t);
        if (p == TK_LP && q != TK_LP)
            skip_layout_paren(&x, &p, &s);
        else if (q == TK_LP && p != TK_LP)
            skip_layout_paren(&y, &q, &t);
        if (p == 0 || q == 0)
            return p == q;
        if (p == TK_ILLEGAL || q == TK_ILLEGAL)
            return false;
        if (is_name(a, p, s) && is_name(b, q, t)) {
            if (!name_eq(token_name(scratch, a, p, s), token_name(scratch, b, q, t)))
                return false;
        } else if (p != q || s.len != t.len || memcmp(a + s.off, b + t.off, s.len) != 0) {
            if (!current_database_is(&x, p, s, b, t, db) && !current_database_is(&y, q, t, a, s, db))
                return false;
        }
        track_engine(&x, p, s);
        track_engine(&y, q, t);
        x.last = s;
        y.last = t;
    }
}

static bool unchanged(const Managed *m)
{
    return !m->prev || strcmp(m->prev->hash, m->hash) == 0;
}

/* A view, MV or dictionary is only the same when what it reads and writes is. */
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

/* Views, MVs and dictionaries (a source table, another dictionary) are
 * decided after what they read. */
static bool reads_objects(DeclKind k)
{
    return k == DECL_VIEW || k == DECL_MV || k == DECL_DICTIONARY;
}

static bool respelled(Plan *pl, Managed *m)
{
    if (unchanged(m) || !m->decl || m->decl->kind == DECL_DATABASE)
        return false;
    if (reads_objects(m->decl->kind) && !inputs_unchanged(pl, m))
        return false;
    const char *old = manifest_create_of(&pl->prev, m->prev);
    Arena *scratch = &pl->project->scratch;
    ArenaMark mark = arena_mark(scratch);
    bool same = old && same_statement(scratch, old, m->create, m->decl->name.db.s ? m->decl->name.db : m->decl->default_db);
    arena_release(scratch, mark);
    if (same)
        memcpy(m->hash, m->prev->hash, sizeof m->hash);
    return same;
}

void respell_keep_hashes(Plan *pl)
{
    if (!pl->prev.present)
        return;
    /* Tables and functions first, then views, MVs and dictionaries until
     * none changes (a view of a view is decided after the view it reads). */
    for (int i = 0; i < pl->objects.n; i++) {
        DeclKind k = pl->objects.v[i].decl->kind;
        if (k == DECL_TABLE || k == DECL_FUNCTION)
            respelled(pl, &pl->objects.v[i]);
    }
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < pl->objects.n; i++) {
            DeclKind k = pl->objects.v[i].decl->kind;
            if (reads_objects(k) && respelled(pl, &pl->objects.v[i]))
                again = true;
        }
    }
}
