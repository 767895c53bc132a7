/* CREATE TABLE ... [EMPTY] AS SELECT: where the query starts, and the
 * table's columns when the CREATE lists none. ClickHouse gives such a
 * table its query's output columns, each with its name and type only (no
 * DEFAULT, codec or comment, whatever the source columns had: chDB 26.5,
 * SHOW CREATE TABLE). The types are mvdc's own typing of the query, the
 * one `mvdc check` gives a view: the chain's state so far is printed as
 * .mvd (write.c), the query added to it as a view, and the checks run
 * over that project. The rows the query copies are history, not schema:
 * the table is declared, as the chain's INSERTs are skipped. */
#include <string.h>

#include "check/check.h"
#include "import/imp.h"
#include "parser.h"
#include "print/print.h"

/* The token that starts the query part, `[EMPTY] AS SELECT|WITH|(`, at
 * the top level from c on; -1 when there is none (`AS y` copies y). */
int ctas_find(const Cur *c)
{
    const Stmt *st = c->st;
    for (int i = c->i; i < st->toks.n; i++) {
        const Tok *t = &st->toks.v[i];
        if (t->type == TK_LP || t->type == TK_LB || t->type == TK_LC) {
            i = cursor_match(st, i);
            continue;
        }
        Cur k = {st, i};
        bool empty = cursor_accept(&k, "EMPTY");
        if (!cursor_accept(&k, "AS") || cursor_at_end(&k))
            continue;
        if (cursor_is(&k, "SELECT") || cursor_is(&k, "WITH") || cursor_tok(&k)->type == TK_LP)
            return i;
        if (empty)
            return i;
    }
    return -1;
}

/* The token after `[EMPTY] AS` at i. */
int ctas_query(const Stmt *st, int i)
{
    Cur k = {st, i};
    cursor_accept(&k, "EMPTY");
    cursor_accept(&k, "AS");
    return k.i;
}

/* The SELECT item an output column stands for; NULL when `*` (or
 * `t.*`) gave it. */
static const Expr *item_of(const Select *q, const OutColumn *c)
{
    for (int i = 0; !c->from_table && i < q->items.n; i++)
        if (q->items.v[i] == c->origin.expr)
            return q->items.v[i];
    return NULL;
}

static Span star_span(const Select *q)
{
    for (int i = 0; i < q->items.n; i++)
        if (q->items.v[i]->kind == EX_STAR)
            return q->items.v[i]->span;
    return q->span;
}

/* Whether ClickHouse names the column as mvdc does: an alias, or a
 * column read by its own name. Any other expression is named by
 * ClickHouse's own spelling of it (`a + 1` is `plus(a, 1)`), and a
 * qualified column read across a JOIN keeps its qualifier where the
 * name is ambiguous (`t.b`): import does not derive those. */
static bool named_as_clickhouse(const Select *q, const Expr *e)
{
    if (!e || e->kind == EX_ALIAS)
        return true;
    return e->kind == EX_COLUMN && (e->u.path.parts.n == 1 || q->from.n == 1);
}

static bool holds_nothing(const Type *t)
{
    if (t->kind == TY_NOTHING)
        return true;
    for (int i = 0; i < t->n && t->elems; i++)
        if (t->elems[i] && holds_nothing(t->elems[i]))
            return true;
    return false;
}

/* The state so far as .mvd files, into p: the options and functions,
 * then each database's objects. */
static void load_state(Import *im, Project *p)
{
    const char *top = write_database_text(im, NULL, true);
    project_load_text(p, "<import state>/functions.mvd", top, strlen(top));
    for (int i = 0; i < im->databases.n; i++) {
        const char *db = im->databases.v[i];
        if (!*db)
            continue; /* dropped */
        const char *text = write_database_text(im, db, false);
        const char *path = arena_printf(&im->arena, "<import state>/%s.mvd", db);
        project_load_text(p, path, text, strlen(text));
    }
}

typedef struct Problem {
    Span at;
    const char *msg;
} Problem;

/* Each output's column, or the first problem with one: false then. */
static bool outputs(Import *im, const Select *q, const Object *view, Problem *bad)
{
    if (!view->columns_known) {
        *bad = (Problem){star_span(q), "its columns cannot be determined: a source of `*` is not known"};
        return false;
    }
    for (int i = 0; i < view->columns.n; i++) {
        const OutColumn *c = &view->columns.v[i];
        const Expr *e = item_of(q, c);
        Span at = e ? e->span : star_span(q);
        if (!named_as_clickhouse(q, e)) {
            *bad = (Problem){at, arena_printf(&im->arena, "the column '%.*s' is named by ClickHouse's own spelling of the expression, which import does not derive: give it an alias (AS name)",
                                              (int)c->name.len, c->name.s)};
            return false;
        }
        if (!c->type) {
            *bad = (Problem){at, arena_printf(&im->arena, "the type of the column '%.*s' cannot be determined",
                                              (int)c->name.len, c->name.s)};
            return false;
        }
        if (holds_nothing(c->type)) {
            *bad = (Problem){at, arena_printf(&im->arena, "the column '%.*s' is of type %s, which ClickHouse refuses in a table (code 370)",
                                              (int)c->name.len, c->name.s, c->type->name)};
            return false;
        }
        for (int k = 0; k < i; k++)
            if (name_eq(view->columns.v[k].name, c->name)) {
                *bad = (Problem){at, arena_printf(&im->arena, "two columns are named '%.*s' (ClickHouse refuses it, code 44): give them distinct aliases",
                                                  (int)c->name.len, c->name.s)};
                return false;
            }
    }
    return true;
}

/* `name Type` of each output, parsed as a column of the table. */
static bool keep_columns(Import *im, const Object *view, ImpObject *o)
{
    for (int i = 0; i < view->columns.n; i++) {
        const OutColumn *c = &view->columns.v[i];
        StrBuf b = {0};
        Printer pr = {.out = &b, .src = "", .mode = PRINT_MVD};
        print_quoted_name(&pr, c->name);
        strbuf_printf(&b, " %s", c->type->name);
        const char *src;
        Column *col = wrap_column(im, strbuf_str(&b), &src);
        strbuf_free(&b);
        if (!col)
            return false;
        *LIST_PUSH(&im->arena, &o->elems) = (Elem){0, col, src};
    }
    return true;
}

/* A span of the query's text f (wrap.c: the query's text from `from`
 * to the statement's end, after padding that keeps its line and column)
 * as the same place in the statement's file, where the CREATE's other
 * diagnostics are, so that they print in the order of the file. */
static Span in_statement(const SourceFile *f, Span s, const Stmt *st, uint32_t from)
{
    uint32_t start = (uint32_t)f->len - (st->span.off + st->span.len - from);
    if (s.off < start)
        return s;
    return (Span){.off = s.off - start + from, .len = s.len};
}

/* The checks' errors inside the query, as notes of the import error:
 * why its column could not be typed. Not those about the view made to
 * hold it (a query without FROM "needs pulls_from"): at its name. */
static void explain(Import *im, Diag *g, const Project *p, const Decl *view, const Stmt *st, uint32_t from)
{
    for (int i = 0; i < p->diags.list.n; i++) {
        const Diag *x = p->diags.list.v[i];
        bool at_name = x->span.off == view->name.span.off && x->span.len == view->name.span.len;
        if (x->sev == SEV_ERROR && x->file == view->file && !at_name)
            diag_note(&im->diags, g, st->file, in_statement(x->file, x->span, st, from), "%s", x->msg);
    }
}

bool ctas_columns(Import *im, const Stmt *st, int query, ImpObject *o)
{
    SourceFile *f;
    uint32_t from = st->toks.v[query].t.off;
    Select *q = wrap_query(im, st, from, st->span.off + st->span.len, &f);
    if (!q) {
        im->not_imported++;
        return false;
    }
    Project p;
    project_init(&p);
    p.max_threads = 1;
    bool ok = false;
    if (!project_load_library(&p, NULL)) {
        replay_error(im, st->file, st->span, "the standard library could not be loaded to type the query");
        project_free(&p);
        return false;
    }
    load_state(im, &p);
    Decl *d = arena_zalloc(&im->arena, sizeof *d);
    d->kind = DECL_VIEW;
    d->file = f;
    d->span = q->span;
    d->default_db = object_name(&im->arena, im->default_db);
    d->name = (QName){.db = d->default_db, .name = object_name(&im->arena, "_mvdc_import_create_as_select"), .span = q->span};
    d->query = q;
    /* Its pulls_from, as a view's: the checks then speak of the query only. */
    query_resolve(im, d, im->default_db, f->text, NULL);
    *LIST_PUSH(&p.arena, &p.decls) = d;
    check_project(&p);
    Problem bad = {0};
    if (!d->object)
        replay_error(im, st->file, st->span, "CREATE TABLE ... AS SELECT: the query's columns cannot be determined; the table is not imported");
    else if (!outputs(im, q, d->object, &bad)) {
        Diag *g = replay_error(im, st->file, in_statement(f, bad.at, st, from),
                               "CREATE TABLE ... AS SELECT: %s; the table is not imported", bad.msg);
        explain(im, g, &p, d, st, from);
    } else if (!(ok = keep_columns(im, d->object, o)))
        im->not_imported++;
    project_free(&p);
    return ok;
}
