/* CREATE TABLE t [(columns)] ENGINE = TimeSeries [SETTINGS ...]
 * [DATA|TAGS|METRICS ...] [COMMENT ...]: a TimeSeries table, written as the
 * language declares one (check/time_series.c): every column the engine
 * has, in the engine's order, with the types the CREATE overrode, and the
 * setting its CREATE needs.
 *
 * ClickHouse (chDB 26.5, tried) fills in the columns a CREATE leaves out
 * and puts them in its own order; `store_min_time_and_max_time = 0` leaves
 * out min_time and max_time. A server's statement always spells out the
 * inner tables' engines (DATA ENGINE = MergeTree ORDER BY ...); when they
 * are the defaults they mean what no clause means, and are left out. Other
 * inner engines or target tables, and extra columns (tags_to_columns), are
 * not in the language: reported. allow_experimental_time_series_table is
 * not kept by the server, and a chain often SETs it: it is added. */
#include <string.h>
#include <strings.h>

#include "check/time_series.h"
#include "import/imp.h"
#include "parser.h"
#include "syntax/parse.h"

/* The inner tables a server's statement names when they are the defaults
 * (chDB 26.5), token by token. */
static const char DEFAULT_TARGETS[] =
    "DATA ENGINE = MergeTree ORDER BY ( id , timestamp ) "
    "TAGS ENGINE = AggregatingMergeTree PRIMARY KEY metric_name ORDER BY tuple ( metric_name , id ) "
    "METRICS ENGINE = ReplacingMergeTree ORDER BY metric_family_name";

typedef struct Parts {
    int columns;       /* the `(` of the column list, or -1 */
    int engine;        /* ENGINE */
    int settings;      /* SETTINGS, or -1 */
    int targets, targets_end; /* DATA ... METRICS ...: [targets, targets_end), or -1 */
} Parts;

static bool is_target_word(const Cur *c)
{
    return cursor_is(c, "DATA") || cursor_is(c, "SAMPLES") || cursor_is(c, "TAGS") || cursor_is(c, "METRICS");
}

bool replay_time_series_is(const Cur *at)
{
    Cur k = *at;
    const Tok *t = cursor_tok(&k);
    if (t && t->type == TK_LP)
        k.i = cursor_match(k.st, k.i) + 1;
    if (!cursor_accept(&k, "ENGINE"))
        return false;
    cursor_accept(&k, "=");
    return cursor_is(&k, "TimeSeries");
}

/* Where each part starts, the tokens after the name. */
static Parts find_parts(const Cur *at)
{
    Parts p = {-1, -1, -1, -1, -1};
    Cur k = *at;
    if (cursor_tok(&k)->type == TK_LP) {
        p.columns = k.i;
        k.i = cursor_match(k.st, k.i) + 1;
    }
    p.engine = k.i;
    for (; !cursor_at_end(&k); k.i++) {
        const Tok *t = cursor_tok(&k);
        if (t->type == TK_LP || t->type == TK_LB) {
            k.i = cursor_match(k.st, k.i);
            continue;
        }
        if (p.settings < 0 && p.targets < 0 && cursor_is(&k, "SETTINGS"))
            p.settings = k.i;
        else if (p.targets < 0 && is_target_word(&k))
            p.targets = k.i;
        else if (p.targets >= 0 && p.targets_end < 0 && (cursor_is(&k, "COMMENT") || cursor_is(&k, "SETTINGS")))
            p.targets_end = k.i;
    }
    if (p.targets >= 0 && p.targets_end < 0)
        p.targets_end = k.i;
    return p;
}

/* The tokens [from, to) of st, one space between each. */
static char *token_text(Import *im, const Stmt *st, int from, int to)
{
    StrBuf b = {0};
    for (int i = from; i < to; i++) {
        if (i > from)
            strbuf_putc(&b, ' ');
        strbuf_add(&b, st->file->text + st->toks.v[i].t.off, st->toks.v[i].t.len);
    }
    char *s = arena_strndup(&im->arena, strbuf_str(&b), b.len);
    strbuf_free(&b);
    return s;
}

static uint32_t tok_off(const Stmt *st, int i)
{
    return i < st->toks.n ? st->toks.v[i].t.off : st->span.off + st->span.len;
}

static uint32_t tok_end(const Stmt *st, int i)
{
    return st->toks.v[i].t.off + st->toks.v[i].t.len;
}

/* A clause parsed from text of its own (not from the chain). */
static Clause *own_clause(Import *im, const char *clause_text, const char **src)
{
    char *s = arena_printf(&im->arena, "table _ (_ UInt8) %s;", clause_text);
    SourceFile *f = source_from_string(&im->arena, "<import>", s, strlen(s));
    DeclList decls = {0};
    parse_source(&im->arena, &im->diags, f, &decls);
    if (decls.n != 1 || decls.v[0]->clauses.n != 1)
        return NULL;
    *src = s;
    return &decls.v[0]->clauses.v[0];
}

static const Setting *setting_of(const ClauseAtList *cl, const char *key, const char **src)
{
    for (int i = 0; i < cl->n; i++)
        for (int k = 0; cl->v[i].c.kind == CL_SETTINGS && k < cl->v[i].c.settings.n; k++)
            if (name_is(cl->v[i].c.settings.v[k].key, key)) {
                *src = cl->v[i].src;
                return &cl->v[i].c.settings.v[k];
            }
    return NULL;
}

/* The clauses of [from, to) (none when empty); false after a report. */
static bool read_clauses(Import *im, const Stmt *st, int from, int to, const char *prefix, Decl **d,
                         const char **src, ClauseAtList *out)
{
    *d = NULL;
    if (from >= to)
        return true;
    *d = wrap_piece(im, st, tok_off(st, from), tok_end(st, to - 1), prefix, ";", src);
    if (!*d) {
        im->not_imported++;
        return false;
    }
    for (int i = 0; i < (*d)->clauses.n; i++)
        *LIST_PUSH(&im->arena, out) = (ClauseAt){(*d)->clauses.v[i], *src};
    return true;
}

/* SETTINGS with allow_experimental_time_series_table = 1 first, the
 * clause's own settings after it. */
static bool add_setting(Import *im, const Stmt *st, const Parts *p, ClauseAtList *clauses)
{
    const char *src;
    if (setting_of(clauses, TIME_SERIES_SETTING, &src))
        return true;
    for (int i = 0; i < clauses->n; i++) {
        if (clauses->v[i].c.kind != CL_SETTINGS || p->settings < 0)
            continue;
        /* The settings' own text, after the added one. */
        int first = p->settings + 1, last = first;
        for (Cur k = {st, first}; !cursor_at_end(&k) && !is_target_word(&k) && !cursor_is(&k, "COMMENT"); k.i++)
            last = k.i;
        Decl *d = wrap_piece(im, st, tok_off(st, first), tok_end(st, last),
                             "table _ (_ UInt8) settings " TIME_SERIES_SETTING " = 1,", ";", &src);
        if (!d || d->clauses.n != 1) {
            im->not_imported++;
            return false;
        }
        clauses->v[i] = (ClauseAt){d->clauses.v[0], src};
        return true;
    }
    Clause *c = own_clause(im, "settings " TIME_SERIES_SETTING " = 1", &src);
    if (!c)
        return false;
    ClauseAt added = {*c, src};
    ClauseAtList all = {0};
    for (int i = 0; i < clauses->n; i++) {
        *LIST_PUSH(&im->arena, &all) = clauses->v[i];
        if (clauses->v[i].c.kind == CL_ENGINE)
            *LIST_PUSH(&im->arena, &all) = added;
    }
    *clauses = all;
    return true;
}

static const Column *given_column(const Decl *d, const char *def)
{
    size_t n = strcspn(def, " ");
    for (int i = 0; d && i < d->columns.n; i++)
        if (d->columns.v[i]->name.len == n && memcmp(d->columns.v[i]->name.s, def, n) == 0)
            return d->columns.v[i];
    return NULL;
}

/* `name T` alone, T the engine's own type for it (`id UUID`). */
static bool plain_default_type(const Column *c, const char *src, const char *def)
{
    if (c->mods || c->null_mod || !c->type)
        return false;
    const char *type = def + strcspn(def, " ") + 1;
    size_t n = strstr(type, " DEFAULT ") ? (size_t)(strstr(type, " DEFAULT ") - type) : strlen(type);
    return c->type->span.len == n && strncmp(src + c->type->span.off, type, n) == 0;
}

/* Every column the engine has, in its order: the CREATE's where it gave
 * one, else the default. False (reported) for a column it does not have. */
static bool columns(Import *im, const Stmt *st, ImpObject *o, const Decl *d, const char *src, const ClauseAtList *cl)
{
    const char *ssrc;
    const Setting *store = setting_of(cl, "store_min_time_and_max_time", &ssrc);
    bool minmax = true;
    if (store && store->value) {
        const Span *v = &store->value->span;
        minmax = !((v->len == 1 && ssrc[v->off] == '0') || (v->len == 5 && strncasecmp(ssrc + v->off, "false", 5) == 0));
    }
    for (int i = 0; d && i < d->columns.n; i++) {
        Name n = d->columns.v[i]->name;
        bool known = false;
        for (int k = 0; k < time_series_column_count; k++) {
            const char *def = time_series_columns[k];
            bool kept = minmax || (strncmp(def, "min_time ", 9) != 0 && strncmp(def, "max_time ", 9) != 0);
            known |= kept && strcspn(def, " ") == n.len && memcmp(def, n.s, n.len) == 0;
        }
        if (!known) {
            replay_error(im, st->file, st->span,
                         "a TimeSeries table with a column the engine does not make (%.*s; tags_to_columns) cannot "
                         "be expressed in .mvd yet: not imported", (int)n.len, n.s);
            return false;
        }
    }
    for (int k = 0; k < time_series_column_count; k++) {
        const char *def = time_series_columns[k];
        if (!minmax && (strncmp(def, "min_time ", 9) == 0 || strncmp(def, "max_time ", 9) == 0))
            continue;
        const Column *c = given_column(d, def);
        const char *csrc = src;
        if (c && plain_default_type(c, src, def))
            c = NULL; /* the server gives it the engine's DEFAULT too */
        if (!c)
            c = wrap_column(im, def, &csrc);
        if (!c)
            return false;
        *LIST_PUSH(&im->arena, &o->elems) = (Elem){0, (void *)c, csrc};
    }
    return true;
}

bool replay_time_series_create(Import *im, const Stmt *st, Cur *c, ImpObject *o)
{
    Parts p = find_parts(c);
    int end = st->toks.n;
    if (p.targets >= 0 && strcmp(token_text(im, st, p.targets, p.targets_end), DEFAULT_TARGETS) != 0) {
        Diag *g = replay_error(im, st->file, cursor_span(&(Cur){st, p.targets}),
                               "a TimeSeries table with its own inner engines or target tables (DATA, TAGS, "
                               "METRICS) cannot be expressed in .mvd yet: not imported");
        diag_note(&im->diags, g, NULL, (Span){0},
                  "without these clauses it is imported (its inner tables are then the engine's defaults)");
        return false;
    }
    /* Before the inner tables' clauses, and after them (COMMENT, ...). */
    int head_end = p.targets >= 0 ? p.targets : end;
    const char *src_a = NULL, *src_b = NULL;
    Decl *a, *b;
    ClauseAtList clauses = {0};
    if (!read_clauses(im, st, p.columns >= 0 ? p.columns : p.engine, head_end,
                      p.columns >= 0 ? "table _" : "table _ (_ UInt8)", &a, &src_a, &clauses))
        return false;
    if (p.targets >= 0 && !read_clauses(im, st, p.targets_end, end, "table _ (_ UInt8)", &b, &src_b, &clauses))
        return false;
    if (!add_setting(im, st, &p, &clauses))
        return false;
    if (!columns(im, st, o, p.columns >= 0 ? a : NULL, src_a, &clauses))
        return false;
    o->clauses = clauses;
    return true;
}
