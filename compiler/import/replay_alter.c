/* ALTER TABLE: the commands that change a table's structure (columns,
 * indexes, constraints, projections, TTL, settings, sorting key, comment)
 * or a view's query. Commands that change data (UPDATE, DELETE,
 * partitions, MATERIALIZE ...) leave the schema as it is and are skipped. */
#include <string.h>

#include "import/imp.h"
#include "parser.h"
#include "syntax/parse.h"
#include "print/print.h"

static const char *const command_words[] = {
    "ADD", "DROP", "MODIFY", "RENAME", "COMMENT", "CLEAR", "MATERIALIZE", "UPDATE", "DELETE",
    "FREEZE", "UNFREEZE", "ATTACH", "DETACH", "REMOVE", "RESET", "MOVE", "REPLACE", "FETCH", "APPLY",
};
static const char *const data_words[] = {
    "CLEAR", "MATERIALIZE", "UPDATE", "DELETE", "FREEZE", "UNFREEZE", "ATTACH", "DETACH", "MOVE",
    "REPLACE", "FETCH", "APPLY",
};

static bool word_in(const Cur *c, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cursor_is(c, words[i]))
            return true;
    return false;
}

typedef struct Alter {
    Import *im;
    const Stmt *st;  /* the command's tokens only */
    Cur c;
    ImpObject *o;
} Alter;

static uint32_t cmd_end(const Alter *a)
{
    const Tok *t = &a->st->toks.v[a->st->toks.n - 1];
    return t->t.off + t->t.len;
}

static Name elem_name(const Elem *e)
{
    switch (e->what) {
    case 0: return ((Column *)e->node)->name;
    case 1: return ((TableIndex *)e->node)->name;
    case 2: return ((Constraint *)e->node)->name;
    default: return ((Projection *)e->node)->name;
    }
}

static int find_elem(const ImpObject *o, int what, Name n)
{
    for (int i = 0; i < o->elems.n; i++) {
        Name m = elem_name(&o->elems.v[i]);
        if (o->elems.v[i].what == what && m.len == n.len && memcmp(m.s, n.s, n.len) == 0)
            return i;
    }
    return -1;
}

static void remove_elem(ImpObject *o, int i)
{
    memmove(&o->elems.v[i], &o->elems.v[i + 1], sizeof(Elem) * (size_t)(o->elems.n - i - 1));
    o->elems.n--;
}

static void insert_elem(Import *im, ImpObject *o, int at, Elem e)
{
    LIST_PUSH(&im->arena, &o->elems);
    memmove(&o->elems.v[at + 1], &o->elems.v[at], sizeof(Elem) * (size_t)(o->elems.n - 1 - at));
    o->elems.v[at] = e;
}

static bool missing(Alter *a, const char *what, Name n, bool if_exists)
{
    if (!if_exists)
        replay_error(a->im, a->st->file, n.span, "%s %.*s does not exist in %s at this point of the chain", what,
                  (int)n.len, n.s, a->o->key);
    return false;
}

/* ADD COLUMN|INDEX|CONSTRAINT|PROJECTION [IF NOT EXISTS] ... [AFTER x | FIRST] */
static bool add_elem(Alter *a, int what)
{
    bool ine = cursor_accept_seq(&a->c, "IF NOT EXISTS");
    const Tok *first = cursor_tok(&a->c);
    if (!first)
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected a definition"), false;
    Name n;
    Cur probe = a->c;
    cursor_name(&probe, &a->im->arena, &n);
    if (find_elem(a->o, what, n) >= 0) {
        if (!ine)
            replay_error(a->im, a->st->file, n.span, "%.*s already exists in %s (ClickHouse refuses it, code 15)",
                      (int)n.len, n.s, a->o->key);
        return ine;
    }
    const TokList *ts = &a->st->toks;
    uint32_t end = cmd_end(a);
    int at = what == 0 ? -1 : a->o->elems.n;
    Cur last = {a->st, ts->n - 1}, before = {a->st, ts->n - 2};
    if (ts->n >= 2 && cursor_is(&before, "AFTER")) {
        Name after;
        cursor_name(&last, &a->im->arena, &after);
        int k = find_elem(a->o, 0, after);
        if (k < 0)
            return missing(a, "column", after, false);
        at = k + 1;
        end = ts->v[ts->n - 2].t.off;
    } else if (cursor_is(&last, "FIRST")) {
        at = 0;
        end = ts->v[ts->n - 1].t.off;
    }
    static const char *const prefixes[] = {"table _ (", "table _ (INDEX", "table _ (CONSTRAINT", "table _ (PROJECTION"};
    const char *src;
    Decl *d = wrap_piece(a->im, a->st, first->t.off, end, prefixes[what], ");", &src);
    if (!d)
        return false;
    void *node = what == 0 ? (void *)d->columns.v[0] : what == 1 ? (void *)d->extras->indexes.v[0]
               : what == 2 ? (void *)d->extras->constraints.v[0] : (void *)d->extras->projections.v[0];
    if (at < 0) { /* after the last column */
        at = 0;
        for (int i = 0; i < a->o->elems.n; i++)
            if (a->o->elems.v[i].what == 0)
                at = i + 1;
    }
    insert_elem(a->im, a->o, at, (Elem){(uint8_t)what, node, src});
    return true;
}

static bool drop_elem(Alter *a, int what, const char *label)
{
    bool if_exists = cursor_accept_seq(&a->c, "IF EXISTS");
    Name n;
    if (!cursor_name(&a->c, &a->im->arena, &n))
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected a name"), false;
    int k = find_elem(a->o, what, n);
    if (k < 0)
        return missing(a, label, n, if_exists) || if_exists;
    remove_elem(a->o, k);
    return true;
}

static bool rename_column(Alter *a)
{
    bool if_exists = cursor_accept_seq(&a->c, "IF EXISTS");
    Name from, to;
    if (!cursor_name(&a->c, &a->im->arena, &from) || !cursor_accept(&a->c, "TO") || !cursor_name(&a->c, &a->im->arena, &to))
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected RENAME COLUMN a TO b"), false;
    int k = find_elem(a->o, 0, from);
    if (k < 0)
        return missing(a, "column", from, if_exists) || if_exists;
    Column *c = arena_alloc(&a->im->arena, sizeof(*c));
    *c = *(Column *)a->o->elems.v[k].node;
    c->name = to;
    a->o->elems.v[k].node = c;
    return true;
}

/* ---- MODIFY COLUMN, COMMENT COLUMN: a column made of two sources ---- */

typedef struct Part { const Column *c; const char *src; } Part;

static void print_mods_from(StrBuf *b, Part p, ColumnMods m)
{
    Printer pr = {.out = b, .src = p.src, .mode = PRINT_MVD};
    print_column_mods(&pr, &m);
}

enum { MOD_DEFAULT, MOD_COMMENT, MOD_CODEC, MOD_TTL, MOD_COUNT };

static bool has_mod(const ColumnMods *m, int k)
{
    if (!m)
        return false;
    switch (k) {
    case MOD_DEFAULT: return m->default_kind != DEF_NONE;
    case MOD_COMMENT: return m->comment.len != 0;
    case MOD_CODEC: return m->codec.n != 0;
    default: return m->ttl != NULL;
    }
}

/* Only modifier k of m. */
static ColumnMods only_mod(const ColumnMods *m, int k)
{
    ColumnMods x = {0};
    switch (k) {
    case MOD_DEFAULT: x.default_kind = m->default_kind; x.default_expr = m->default_expr; break;
    case MOD_COMMENT: x.comment = m->comment; break;
    case MOD_CODEC: x.codec = m->codec; break;
    default: x.ttl = m->ttl; break;
    }
    return x;
}

/* The column `name` with its type from ty and each modifier from mod
 * when mod says it, else from old (MODIFY COLUMN keeps what it does not
 * restate). Printed and parsed again, so that the result points into one
 * text. */
static Column *merge_column(Alter *a, Name name, Part ty, Part mod, Part old, const char **src)
{
    StrBuf b = {0};
    Printer pr = {.out = &b, .src = ty.src, .mode = PRINT_MVD};
    print_name(&pr, name);
    strbuf_putc(&b, ' ');
    print_column_type(&pr, ty.c);
    for (int k = 0; k < MOD_COUNT; k++) {
        Part from = has_mod(mod.c->mods, k) ? mod : old;
        if (has_mod(from.c->mods, k))
            print_mods_from(&b, from, only_mod(from.c->mods, k));
    }
    Column *c = wrap_column(a->im, strbuf_str(&b), src);
    strbuf_free(&b);
    if (!c)
        replay_error(a->im, a->st->file, a->st->span, "mvdc import could not rebuild this column (a bug: please report it)");
    return c;
}

static bool is_modifier(const Cur *c)
{
    return cursor_is(c, "DEFAULT") || cursor_is(c, "MATERIALIZED") || cursor_is(c, "ALIAS") || cursor_is(c, "EPHEMERAL") ||
           cursor_is(c, "CODEC") || cursor_is(c, "COMMENT") || cursor_is(c, "TTL");
}

/* MODIFY COLUMN name REMOVE DEFAULT|MATERIALIZED|ALIAS|COMMENT|CODEC|TTL */
static bool remove_property(Alter *a, int k)
{
    Column *c = arena_alloc(&a->im->arena, sizeof(*c));
    *c = *(Column *)a->o->elems.v[k].node;
    ColumnMods *m = arena_zalloc(&a->im->arena, sizeof(*m));
    if (c->mods)
        *m = *c->mods;
    c->mods = m;
    if (cursor_accept(&a->c, "DEFAULT") || cursor_accept(&a->c, "MATERIALIZED") || cursor_accept(&a->c, "ALIAS") ||
        cursor_accept(&a->c, "EPHEMERAL")) {
        m->default_kind = DEF_NONE;
        m->default_expr = NULL;
    } else if (cursor_accept(&a->c, "COMMENT")) {
        m->comment = (Span){0};
    } else if (cursor_accept(&a->c, "CODEC")) {
        m->codec = (ExprList){0};
    } else if (cursor_accept(&a->c, "TTL")) {
        m->ttl = NULL;
    } else {
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected what to REMOVE"), false;
    }
    a->o->elems.v[k].node = c;
    return true;
}

static bool modify_column(Alter *a)
{
    bool if_exists = cursor_accept_seq(&a->c, "IF EXISTS");
    Name n;
    const Tok *first = cursor_tok(&a->c);
    if (!cursor_name(&a->c, &a->im->arena, &n))
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected a column name"), false;
    int k = find_elem(a->o, 0, n);
    if (k < 0)
        return missing(a, "column", n, if_exists) || if_exists;
    if (cursor_accept(&a->c, "REMOVE"))
        return remove_property(a, k);
    Part old = {a->o->elems.v[k].node, a->o->elems.v[k].src};
    bool typed = !is_modifier(&a->c);
    const TokList *ts = &a->st->toks;
    uint32_t end = cmd_end(a);
    Cur last = {a->st, ts->n - 1}, before = {a->st, ts->n - 2};
    int move_to = -1;
    if (ts->n >= 2 && cursor_is(&before, "AFTER")) {
        Name after;
        cursor_name(&last, &a->im->arena, &after);
        move_to = find_elem(a->o, 0, after);
        end = ts->v[ts->n - 2].t.off;
    } else if (cursor_is(&last, "FIRST")) {
        move_to = -2;
        end = ts->v[ts->n - 1].t.off;
    }
    const char *src;
    Decl *d = typed ? wrap_piece(a->im, a->st, first->t.off, end, "table _ (", ");", &src)
                    : wrap_piece(a->im, a->st, cursor_tok(&a->c)->t.off, end, "table _ (_ UInt8", ");", &src);
    if (!d)
        return false;
    Part mod = {d->columns.v[0], src};
    const char *text;
    Column *c = merge_column(a, n, typed ? mod : old, mod, old, &text);
    if (!c)
        return false;
    Elem e = {0, c, text};
    if (move_to == -1) {
        a->o->elems.v[k] = e;
        return true;
    }
    remove_elem(a->o, k);
    int at = move_to == -2 ? 0 : find_elem(a->o, 0, ((Column *)a->o->elems.v[move_to < k ? move_to : move_to - 1].node)->name) + 1;
    insert_elem(a->im, a->o, at, e);
    return true;
}

/* COMMENT COLUMN [IF EXISTS] name 'text' */
static bool comment_column(Alter *a)
{
    bool if_exists = cursor_accept_seq(&a->c, "IF EXISTS");
    Name n;
    if (!cursor_name(&a->c, &a->im->arena, &n) || cursor_at_end(&a->c))
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected COMMENT COLUMN name 'text'"), false;
    int k = find_elem(a->o, 0, n);
    if (k < 0)
        return missing(a, "column", n, if_exists) || if_exists;
    const char *src;
    Decl *d = wrap_piece(a->im, a->st, cursor_tok(&a->c)->t.off, cmd_end(a), "table _ (_ UInt8 COMMENT", ");", &src);
    if (!d)
        return false;
    Part old = {a->o->elems.v[k].node, a->o->elems.v[k].src}, mod = {d->columns.v[0], src};
    const char *text;
    Column *c = merge_column(a, n, old, mod, old, &text);
    if (!c)
        return false;
    a->o->elems.v[k] = (Elem){0, c, text};
    return true;
}

/* ---- Table clauses ---- */

static int find_clause(const ImpObject *o, int kind)
{
    for (int i = 0; i < o->clauses.n; i++)
        if (o->clauses.v[i].c.kind == kind)
            return i;
    return -1;
}

static void set_clause(Import *im, ImpObject *o, int kind, const ClauseAt *c)
{
    int k = find_clause(o, kind);
    if (k >= 0 && c)
        o->clauses.v[k] = *c;
    else if (k >= 0) {
        memmove(&o->clauses.v[k], &o->clauses.v[k + 1], sizeof(ClauseAt) * (size_t)(o->clauses.n - k - 1));
        o->clauses.n--;
    } else if (c)
        *LIST_PUSH(&im->arena, &o->clauses) = *c;
}

/* The command's rest parsed as a table clause: `word` before it. */
static bool modify_clause(Alter *a, const char *word, int kind)
{
    if (cursor_at_end(&a->c))
        return replay_error(a->im, a->st->file, cursor_span(&a->c), "expected the new %s", word), false;
    char *prefix = arena_printf(&a->im->arena, "table _ (_ UInt8) %s", word);
    const char *src;
    Decl *d = wrap_piece(a->im, a->st, cursor_tok(&a->c)->t.off, cmd_end(a), prefix, ";", &src);
    if (!d || d->clauses.n != 1)
        return false;
    ClauseAt c = {d->clauses.v[0], src};
    set_clause(a->im, a->o, kind, &c);
    return true;
}

/* The settings of the table, with `drop` left out and `add` added, as one
 * clause over one text. */
static bool rebuild_settings(Alter *a, const SettingList *add, const char *add_src, const NameList *drop)
{
    StrBuf b = {0};
    int n = 0, k = find_clause(a->o, CL_SETTINGS);
    for (int pass = 0; pass < 2; pass++) {
        const SettingList *l = pass ? add : k >= 0 ? &a->o->clauses.v[k].c.settings : NULL;
        Printer pr = {.out = &b, .src = pass ? add_src : k >= 0 ? a->o->clauses.v[k].src : "", .mode = PRINT_MVD};
        for (int i = 0; l && i < l->n; i++) {
            bool skip = false;
            for (int j = 0; !pass && j < drop->n; j++)
                skip |= drop->v[j].len == l->v[i].key.len && memcmp(drop->v[j].s, l->v[i].key.s, drop->v[j].len) == 0;
            if (skip)
                continue;
            strbuf_puts(&b, n++ ? ", " : "");
            print_name(&pr, l->v[i].key);
            strbuf_puts(&b, " = ");
            print_expr(&pr, l->v[i].value);
        }
    }
    bool ok = true;
    if (!n) {
        set_clause(a->im, a->o, CL_SETTINGS, NULL);
    } else {
        char *text = arena_printf(&a->im->arena, "table _ (_ UInt8) SETTINGS %s;", strbuf_str(&b));
        SourceFile *f = source_from_string(&a->im->arena, a->st->file->path, text, strlen(text));
        DeclList decls = {0};
        int errors = a->im->diags.errors;
        parse_source(&a->im->arena, &a->im->diags, f, &decls);
        ok = a->im->diags.errors == errors && decls.n == 1;
        if (ok) {
            ClauseAt c = {decls.v[0]->clauses.v[0], text};
            set_clause(a->im, a->o, CL_SETTINGS, &c);
        }
    }
    strbuf_free(&b);
    return ok;
}

/* MODIFY ORDER BY keeps the primary key: a table whose key was its ORDER
 * BY gets the old ORDER BY as an explicit PRIMARY KEY (as the server
 * shows it afterwards). */
static bool modify_order_by(Alter *a)
{
    int k = find_clause(a->o, CL_ORDER_BY);
    if (k >= 0 && find_clause(a->o, CL_PRIMARY_KEY) < 0) {
        ClauseAt pk = a->o->clauses.v[k];
        pk.c.kind = CL_PRIMARY_KEY;
        set_clause(a->im, a->o, CL_PRIMARY_KEY, &pk);
    }
    return modify_clause(a, "", CL_ORDER_BY);
}

static bool modify_setting(Alter *a)
{
    const char *src;
    Decl *d = wrap_piece(a->im, a->st, cursor_tok(&a->c)->t.off, cmd_end(a), "table _ (_ UInt8) SETTINGS", ";", &src);
    if (!d)
        return false;
    const SettingList *add = &d->clauses.v[0].settings;
    NameList drop = {0};
    for (int i = 0; i < add->n; i++)
        *LIST_PUSH(&a->im->arena, &drop) = add->v[i].key;
    return rebuild_settings(a, add, src, &drop);
}

static bool reset_setting(Alter *a)
{
    NameList drop = {0};
    Name n;
    while (cursor_name(&a->c, &a->im->arena, &n)) {
        *LIST_PUSH(&a->im->arena, &drop) = n;
        if (!cursor_tok(&a->c) || cursor_tok(&a->c)->type != TK_COMMA)
            break;
        a->c.i++;
    }
    return rebuild_settings(a, NULL, NULL, &drop);
}

static bool modify_query(Alter *a)
{
    if (a->o->kind == IMP_TABLE || a->o->kind == IMP_DICTIONARY || cursor_at_end(&a->c))
        return replay_error(a->im, a->st->file, a->st->span, "MODIFY QUERY of %s, which is not a view", a->o->key), false;
    const char *src;
    Select *q = wrap_select(a->im, a->st, cursor_tok(&a->c)->t.off, cmd_end(a), &src);
    if (!q)
        return false;
    a->o->decl->query = q;
    a->o->decl->lineage.pulls_from = (QNameList){0};
    /* The server replaces an MV's own column list with the new query's
     * columns (chDB 26.5). */
    a->o->decl->columns = (ColumnList){0};
    a->o->src = src;
    query_resolve(a->im, a->o->decl, a->im->default_db, src, NULL);
    return true;
}

static bool table_only(Alter *a)
{
    if (a->o->kind == IMP_TABLE)
        return true;
    replay_error(a->im, a->st->file, a->st->span, "%s is a %s: this ALTER is not imported", a->o->key,
                 a->o->kind == IMP_DICTIONARY ? "dictionary" : "view");
    return false;
}

/* One command; false when it was not applied (and reported). */
static bool command(Alter *a)
{
    Cur *c = &a->c;
    if (word_in(c, data_words, sizeof(data_words) / sizeof(*data_words)) ||
        cursor_accept_seq(c, "DROP PARTITION") || cursor_accept_seq(c, "DROP PART") || cursor_accept_seq(c, "DROP DETACHED"))
        return true;
    if (cursor_accept_seq(c, "MODIFY QUERY"))
        return modify_query(a);
    if (!table_only(a))
        return false;
    if (cursor_accept_seq(c, "ADD COLUMN"))
        return add_elem(a, 0);
    if (cursor_accept_seq(c, "ADD INDEX"))
        return add_elem(a, 1);
    if (cursor_accept_seq(c, "ADD CONSTRAINT"))
        return add_elem(a, 2);
    if (cursor_accept_seq(c, "ADD PROJECTION"))
        return add_elem(a, 3);
    if (cursor_accept_seq(c, "DROP COLUMN"))
        return drop_elem(a, 0, "column");
    if (cursor_accept_seq(c, "DROP INDEX"))
        return drop_elem(a, 1, "index");
    if (cursor_accept_seq(c, "DROP CONSTRAINT"))
        return drop_elem(a, 2, "constraint");
    if (cursor_accept_seq(c, "DROP PROJECTION"))
        return drop_elem(a, 3, "projection");
    if (cursor_accept_seq(c, "RENAME COLUMN"))
        return rename_column(a);
    if (cursor_accept_seq(c, "MODIFY COLUMN"))
        return modify_column(a);
    if (cursor_accept_seq(c, "COMMENT COLUMN"))
        return comment_column(a);
    if (cursor_accept(c, "MODIFY") && cursor_is(c, "TTL"))
        return modify_clause(a, "", CL_TTL);
    if (cursor_accept_seq(c, "REMOVE TTL"))
        return set_clause(a->im, a->o, CL_TTL, NULL), true;
    if (cursor_accept(c, "SETTING") || cursor_accept(c, "SETTINGS"))
        return modify_setting(a);
    if (cursor_accept_seq(c, "RESET SETTING"))
        return reset_setting(a);
    if (cursor_is(c, "ORDER"))
        return modify_order_by(a);
    if (cursor_accept(c, "COMMENT"))
        return modify_clause(a, "COMMENT", CL_COMMENT);
    return replay_error(a->im, a->st->file, a->st->span, "this ALTER command is not replayed by mvdc import"), false;
}

static int query_settings(const Stmt *st, int from)
{
    int depth = 0;
    for (int i = from; i < st->toks.n; i++) {
        int k = st->toks.v[i].type;
        depth += k == TK_LP || k == TK_LB || k == TK_LC;
        depth -= k == TK_RP || k == TK_RB || k == TK_RC;
        Cur here = {st, i}, prev = {st, i - 1}, query = {st, from};
        if (depth == 0 && cursor_is(&here, "SETTINGS") && !cursor_is(&prev, "MODIFY") && !cursor_accept_seq(&query, "MODIFY QUERY"))
            return i;
    }
    return st->toks.n;
}

void replay_alter(Import *im, const Stmt *st, Cur *c)
{
    if (!cursor_accept(c, "TABLE")) {
        im->skipped++; /* ALTER USER, ROLE, ...: not schema */
        return;
    }
    bool if_exists = cursor_accept_seq(c, "IF EXISTS");
    QName q;
    if (!cursor_qname(c, &im->arena, &q))
        return (void)replay_error(im, st->file, cursor_span(c), "expected the table's name");
    cursor_skip_cluster(c);
    ImpObject *o = object_find(im, &q);
    if (!o) {
        if (!if_exists)
            replay_error(im, st->file, q.span, "ALTER of %.*s, which does not exist at this point of the chain",
                      (int)q.name.len, q.name.s);
        return;
    }
    /* Commands are separated by commas at depth 0 before a command word;
     * MODIFY QUERY runs to the end (its SELECT has commas of its own). A
     * trailing SETTINGS (mutations_sync = 2) is the query's, not the
     * table's: it ends the commands. */
    int start = c->i, depth = 0, end = query_settings(st, c->i);
    for (int i = c->i; i <= end; i++) {
        bool cut = i == end;
        if (!cut) {
            int k = st->toks.v[i].type;
            depth += k == TK_LP || k == TK_LB || k == TK_LC;
            depth -= k == TK_RP || k == TK_RB || k == TK_RC;
            Cur next = {st, i + 1}, here = {st, start};
            cut = k == TK_COMMA && depth == 0 && !cursor_accept_seq(&here, "MODIFY QUERY") &&
                  word_in(&next, command_words, sizeof(command_words) / sizeof(*command_words));
        }
        if (!cut)
            continue;
        Stmt sub = *st;
        sub.toks.v = st->toks.v + start;
        sub.toks.n = i - start;
        if (sub.toks.n) {
            Alter a = {im, &sub, {&sub, 0}, o};
            a.c.st = a.st;
            command(&a);
        }
        start = i + 1;
    }
    im->applied++;
}
