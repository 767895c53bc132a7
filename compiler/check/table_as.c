/* `table x as y`: x has y's columns, as CREATE TABLE x AS y gives them
 * (chDB 26.5, tried): every column with its default, codec and comment,
 * and y's constraints; y's indexes, projections and column TTLs too when
 * x is stored like y (no engine of its own, or a MergeTree engine:
 * Memory, Null, Distributed and the like drop them, as ClickHouse's
 * InterpreterCreateQuery does; a Memory table with a TTL is refused,
 * code 36); y's engine and storage clauses when x names no engine, each
 * replaced by x's own clause of that kind; y's comment unless x has one.
 *
 * x follows y: the copy is made on every build, so a column added to y
 * is added to x by the same plan (an ALTER of each), which is what a
 * Distributed table over its local table needs. The plan prints x as a
 * full CREATE TABLE with its columns, so drift, hashes and ALTERs treat it
 * as any table.
 *
 * The copy is printed as .mvd text and parsed again, appended to x's own
 * file text (the file's declarations are blanked out for that parse, so
 * that every other node keeps its offsets): each node then points into
 * the file its declaration names, as the printers expect. It runs before
 * mvdc build starts printing CREATE statements (main.c). */
#include <string.h>

#include "check/check.h"
#include "check/passes.h"
#include "print/print.h"
#include "syntax/parse.h"

enum { MAX_CHAIN = 16 }; /* x as y as z ...: deeper is a cycle */

static Decl *find_table(Project *p, const Decl *x)
{
    Name db = project_db_of(x, &x->as_table);
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if ((d->kind == DECL_TABLE || d->kind == DECL_EXTERNAL) && d != x && name_eq(d->name.name, x->as_table.name) &&
            db.s && name_eq(project_db_of(d, &d->name), db))
            return d;
    }
    return NULL;
}

static const Clause *clause_of(const Decl *d, int kind)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == kind)
            return &d->clauses.v[i];
    return NULL;
}

static bool stored_like_source(const Decl *x)
{
    const Clause *e = clause_of(x, CL_ENGINE);
    return !e || ast_engine_merge_tree(e->engine);
}

/* y's body as a table of another engine gets it: the columns without
 * their TTLs, the constraints, no index or projection. */
static Decl unstored_body(Project *p, const Decl *y)
{
    Decl body = *y;
    body.columns = (ColumnList){0};
    for (int i = 0; i < y->columns.n; i++)
        *LIST_PUSH(&p->scratch, &body.columns) = ast_column_without_ttl(&p->scratch, y->columns.v[i]);
    body.extras = NULL;
    if (y->extras && y->extras->constraints.n) {
        TableBody *x = arena_zalloc(&p->scratch, sizeof(*x));
        x->constraints = y->extras->constraints;
        body.extras = x;
    }
    return body;
}

/* `table _ (y's body) [y's storage clauses];` as .mvd text. */
static char *copy_text(Project *p, const Decl *x, const Decl *y)
{
    StrBuf b = {0};
    Printer pr = {.out = &b, .src = y->file->text, .mode = PRINT_MVD, .db = y->default_db};
    strbuf_puts(&b, "table _ ");
    Decl body = stored_like_source(x) ? *y : unstored_body(p, y);
    print_table_body(&pr, &body, false);
    bool own_engine = clause_of(x, CL_ENGINE) != NULL;
    ClauseList kept = {0};
    for (int i = 0; i < y->clauses.n; i++) {
        const Clause *c = &y->clauses.v[i];
        bool storage = c->kind != CL_COMMENT && c->kind < CL_RENAME_COLUMN;
        if ((storage && !own_engine && !clause_of(x, c->kind)) || (c->kind == CL_COMMENT && !clause_of(x, CL_COMMENT)))
            *LIST_PUSH(&p->scratch, &kept) = *c;
    }
    print_clauses(&pr, &kept);
    strbuf_puts(&b, ";\n");
    char *s = arena_strndup(&p->arena, b.s, b.len);
    strbuf_free(&b);
    return s;
}

/* The copy parsed as if it stood after the end of x's file. */
static Decl *parse_copy(Project *p, Decl *x, const char *copy)
{
    SourceFile *f = x->file;
    size_t n = f->len, k = strlen(copy);
    char *blank = arena_alloc(&p->arena, n + 1 + k + 1), *text = arena_alloc(&p->arena, n + 1 + k + 1);
    for (size_t i = 0; i < n; i++)
        blank[i] = f->text[i] == '\n' ? '\n' : ' ';
    memcpy(text, f->text, n);
    blank[n] = text[n] = '\n';
    memcpy(blank + n + 1, copy, k + 1);
    memcpy(text + n + 1, copy, k + 1);
    SourceFile *parsed = source_from_string(&p->arena, f->path, blank, n + 1 + k);
    DeclList decls = {0};
    int errors = p->diags.errors;
    parse_source(&p->arena, &p->diags, parsed, &decls);
    if (p->diags.errors > errors || decls.n != 1)
        return NULL;
    SourceFile *joined = source_from_string(&p->arena, f->path, text, n + 1 + k);
    joined->builtin = f->builtin;
    x->file = joined;
    return decls.v[0];
}

static void expand(Project *p, Decl *x, int depth)
{
    Decl *y = find_table(p, x);
    if (!y) {
        Diag *g = diag_error(&p->diags, "unknown-object", x->file, x->as_table.span, "table '%s' is not declared",
                             name_cstr(&p->arena, x->as_table.name));
        diag_note(&p->diags, g, NULL, (Span){0}, "`table x as y` copies the columns of a table the project declares");
        x->as_table = (QName){0};
        return;
    }
    if (y->as_table.name.s && !y->columns.n) {
        if (depth >= MAX_CHAIN) {
            diag_error(&p->diags, "cycle", x->file, x->as_table.span,
                       "'as' tables copy each other's columns in a circle");
            x->as_table = (QName){0};
            return;
        }
        expand(p, y, depth + 1);
    }
    if (!y->columns.n)
        return; /* y could not be expanded: reported there */
    Decl *c = parse_copy(p, x, copy_text(p, x, y));
    if (!c)
        return;
    x->columns = c->columns;
    x->extras = c->extras;
    ClauseList all = {0};
    for (int i = 0; i < c->clauses.n; i++)
        *LIST_PUSH(&p->arena, &all) = c->clauses.v[i];
    for (int i = 0; i < x->clauses.n; i++)
        *LIST_PUSH(&p->arena, &all) = x->clauses.v[i];
    x->clauses = all;
}

void check_table_copies(Project *p)
{
    for (int i = 0; i < p->decls.n; i++) {
        Decl *x = p->decls.v[i];
        if (x->kind == DECL_TABLE && x->as_table.name.s && !x->columns.n)
            expand(p, x, 0);
    }
}
