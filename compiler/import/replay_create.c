/* CREATE (and ATTACH, CREATE OR REPLACE, REPLACE) of databases, tables,
 * views and materialized views. IF NOT EXISTS on an object that exists is
 * a no-op, as on the server; CREATE OR REPLACE makes a new object. */
#include <string.h>

#include "import/imp.h"
#include "parser.h"

static uint32_t stmt_end(const Stmt *st) { return st->span.off + st->span.len; }

/* IF NOT EXISTS name [UUID '...'] [ON CLUSTER c]: the name, qualified. */
static bool head(Import *im, const Stmt *st, Cur *c, QName *q, bool *if_not_exists)
{
    *if_not_exists = cursor_accept_seq(c, "IF NOT EXISTS");
    if (!cursor_qname(c, &im->arena, q)) {
        replay_error(im, st->file, cursor_span(c), "expected the name of the object");
        return false;
    }
    *q = object_qualify(im, *q);
    if (cursor_accept(c, "UUID") && !cursor_at_end(c))
        c->i++;
    cursor_skip_cluster(c);
    return true;
}

/* Whether the CREATE goes on: false when IF NOT EXISTS finds the name
 * taken (a no-op) or the name is taken without OR REPLACE (ClickHouse
 * refuses it: reported). */
static bool may_create(Import *im, const Stmt *st, const QName *q, bool replace, bool if_not_exists)
{
    ImpObject *old = object_find(im, q);
    if (!old || replace)
        return true;
    if (if_not_exists) {
        im->applied++;
        return false;
    }
    Diag *g = replay_error(im, st->file, q->span, "%s already exists: ClickHouse refuses this CREATE (code 57)", old->key);
    diag_note(&im->diags, g, old->file, old->where, "created here");
    return false;
}

/* The clause as kept: from a server, without the setting it adds itself
 * (server_added_setting), which it appends after those the DDL gave: the
 * last one only, so that an explicit one keeps its place. NULL when
 * nothing is left of it. */
static const Clause *kept_clause(Import *im, const Clause *cl, const char *src)
{
    if (cl->kind != CL_SETTINGS || !im->server)
        return cl;
    Clause *c = arena_zalloc(&im->arena, sizeof *c);
    *c = *cl;
    c->settings = (SettingList){0};
    for (int i = 0; i < cl->settings.n; i++)
        if (i < cl->settings.n - 1 || !server_added_setting(im, &cl->settings.v[i], src))
            *LIST_PUSH(&im->arena, &c->settings) = cl->settings.v[i];
    return c->settings.n ? c : NULL;
}

static void keep_table(Import *im, ImpObject *o, const Decl *d, const char *src)
{
    Arena *a = &im->arena;
    for (int i = 0; i < d->columns.n; i++)
        *LIST_PUSH(a, &o->elems) = (Elem){0, d->columns.v[i], src};
    const TableBody *x = d->extras;
    for (int i = 0; x && i < x->indexes.n; i++)
        *LIST_PUSH(a, &o->elems) = (Elem){1, x->indexes.v[i], src};
    for (int i = 0; x && i < x->constraints.n; i++)
        *LIST_PUSH(a, &o->elems) = (Elem){2, x->constraints.v[i], src};
    for (int i = 0; x && i < x->projections.n; i++)
        *LIST_PUSH(a, &o->elems) = (Elem){3, x->projections.v[i], src};
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *cl = kept_clause(im, &d->clauses.v[i], src);
        if (cl)
            *LIST_PUSH(a, &o->clauses) = (ClauseAt){*cl, src};
    }
}

/* y's elements as CREATE TABLE x AS y copies them into x: all of them
 * where x's engine is a MergeTree; else (Memory, Distributed, ...) the
 * columns without their TTLs and the constraints, as ClickHouse's
 * InterpreterCreateQuery leaves indexes, projections and TTLs to the
 * MergeTree family (chDB 26.5). */
static void copy_elems(Import *im, ImpObject *o, const ImpObject *src)
{
    bool stored_like = imp_stored_like_merge_tree(o);
    for (int i = 0; i < src->elems.n; i++) {
        Elem e = src->elems.v[i];
        if (!stored_like && (e.what == 1 || e.what == 3))
            continue;
        if (!stored_like && e.what == 0)
            e.node = ast_column_without_ttl(&im->arena, e.node);
        *LIST_PUSH(&im->arena, &o->elems) = e;
    }
}

/* CREATE TABLE x AS y [ENGINE ...] [COMMENT ...] (or CLONE AS y, which
 * copies y's rows too: history, like a CREATE ... AS SELECT's): y's
 * columns; y's storage (engine and its clauses) unless an ENGINE is given, with any
 * clause given in place of y's of the same kind. */
static bool table_as(Import *im, const Stmt *st, Cur *c, ImpObject *o)
{
    QName from;
    Span at = cursor_span(c);
    if (!cursor_qname(c, &im->arena, &from)) {
        replay_error(im, st->file, at, "expected the name of a table, or a SELECT, after AS");
        return false;
    }
    ImpObject *src = object_find(im, &from);
    if (!src || src->kind != IMP_TABLE) {
        replay_error(im, st->file, from.span, "CREATE TABLE ... AS %.*s: no table of that name exists at this point of the chain",
                  (int)from.name.len, from.name.s);
        return false;
    }
    o->copy_of = src;
    Decl *d = NULL;
    const char *text = NULL;
    if (!cursor_at_end(c)) {
        d = wrap_piece(im, st, cursor_tok(c)->t.off, stmt_end(st), "table _ (_ UInt8)", ";", &text);
        if (!d)
            return false;
    }
    bool engine = false;
    for (int i = 0; d && i < d->clauses.n; i++)
        engine |= d->clauses.v[i].kind == CL_ENGINE;
    for (int i = 0; !engine && i < src->clauses.n; i++) {
        bool given = false;
        for (int k = 0; d && k < d->clauses.n; k++)
            given |= d->clauses.v[k].kind == src->clauses.v[i].c.kind;
        if (!given)
            *LIST_PUSH(&im->arena, &o->clauses) = src->clauses.v[i];
    }
    for (int i = 0; d && i < d->clauses.n; i++)
        *LIST_PUSH(&im->arena, &o->clauses) = (ClauseAt){d->clauses.v[i], text};
    copy_elems(im, o, src);
    return true;
}

/* CREATE TABLE x [(columns)] [clauses] [EMPTY] AS SELECT ...: the
 * columns as listed, else the query's (ctas.c); the clauses up to the
 * query are the table's, a SETTINGS after the query is the query's own.
 * The rows the query copies are not schema: the table is declared. */
static bool table_as_select(Import *im, const Stmt *st, Cur *c, ImpObject *o, int as)
{
    uint32_t from = cursor_tok(c)->t.off, to = st->toks.v[as].t.off;
    const char *text = NULL;
    Decl *d = NULL;
    if (cursor_tok(c)->type == TK_LP)
        d = wrap_piece(im, st, from, to, "table _", ";", &text);
    else if (c->i < as)
        d = wrap_piece(im, st, from, to, "table _ (_ UInt8)", ";", &text);
    if (c->i < as && !d) {
        im->not_imported++;
        return false;
    }
    if (cursor_tok(c)->type != TK_LP && !ctas_columns(im, st, ctas_query(st, as), o))
        return false;
    if (cursor_tok(c)->type == TK_LP) {
        keep_table(im, o, d, text);
        return true;
    }
    for (int i = 0; d && i < d->clauses.n; i++) {
        const Clause *cl = kept_clause(im, &d->clauses.v[i], text);
        if (cl)
            *LIST_PUSH(&im->arena, &o->clauses) = (ClauseAt){*cl, text};
    }
    return true;
}

static void create_table(Import *im, const Stmt *st, Cur *c, bool replace)
{
    QName q;
    bool ine;
    if (!head(im, st, c, &q, &ine) || !may_create(im, st, &q, replace, ine))
        return;
    ImpObject *o = object_new(im, IMP_TABLE, q, st);
    const Tok *t = cursor_tok(c);
    int as = t ? ctas_find(c) : -1;
    if (t && replay_time_series_is(c)) {
        if (!replay_time_series_create(im, st, c, o))
            return;
    } else if (as >= 0) {
        if (!table_as_select(im, st, c, o, as))
            return;
    } else if (t && t->type == TK_LP) {
        const char *text;
        Decl *d = wrap_piece(im, st, t->t.off, stmt_end(st), "table _", ";", &text);
        if (!d) {
            im->not_imported++;
            return;
        }
        keep_table(im, o, d, text);
    } else if (cursor_accept(c, "AS") || cursor_accept_seq(c, "CLONE AS")) {
        if (!table_as(im, st, c, o))
            return;
    } else {
        replay_error(im, st->file, cursor_span(c), "expected the table's columns in parentheses");
        return;
    }
    object_register(im, o);
    im->applied++;
}

/* REFRESH EVERY|AFTER ... of a refreshable MV: not imported yet (the
 * .mvd language has the clause; its interval is not read back here). */
static bool not_refreshable(Import *im, const Stmt *st, Cur *c)
{
    if (!cursor_is(c, "REFRESH"))
        return true;
    replay_error(im, st->file, cursor_span(c), "refreshable materialized views are not imported yet: write the refresh clause in .mvd");
    return false;
}

static Decl *view_decl(Import *im, ImpKind kind, QName q, QName to)
{
    Decl *d = arena_zalloc(&im->arena, sizeof(*d));
    d->kind = kind == IMP_MV ? DECL_MV : DECL_VIEW;
    d->name = q;
    if (to.name.s)
        *LIST_PUSH(&im->arena, &d->lineage.pushes_to) = to;
    return d;
}

/* The names of a column list `(a T, b U, ...)` at c (not moved): the
 * first name of each element. */
static void stored_columns(Import *im, const Cur *c, NameList *out)
{
    int end = cursor_match(c->st, c->i);
    bool element_start = true;
    for (Cur k = {c->st, c->i + 1}; k.i < end;) {
        int type = cursor_tok(&k)->type;
        Name n;
        if (element_start && cursor_name(&k, &im->arena, &n)) {
            *LIST_PUSH(&im->arena, out) = n;
            element_start = false;
            continue;
        }
        if (type == TK_LP || type == TK_LB)
            k.i = cursor_match(c->st, k.i);
        element_start = type == TK_COMMA;
        k.i++;
    }
}

/* Whether an MV keeps its column list (`TO t (a T, ...)`, what the
 * server lists as the MV's columns; docs/language.md): always as a chain
 * writes it. A server lists one for every MV, its query's columns unless
 * the CREATE gave others: kept only where the names are not the query's
 * outputs (import does not type queries, so a list that differs from
 * them in types alone is left out; the rows are the same, as an MV
 * inserts its query's outputs whatever the list says, chDB 26.5 and
 * 18.16). */
static bool keeps_list(Import *im, const Select *query, const NameList *listed)
{
    Name odd;
    bool in_list;
    return !im->server || query_list_differs(&im->arena, query, listed, &odd, &in_list);
}

/* A plain view's column list is left out (a .mvd view's columns are its
 * query's), and said: a chain wrote it on purpose. From a server, said
 * only where its names are not the query's outputs (import does not type
 * queries). */
static void view_list_left_out(Import *im, const Stmt *st, QName q, Span at, const Select *query,
                               const NameList *listed)
{
    Name odd = {0};
    bool in_list = false;
    if (!query_list_differs(&im->arena, query, listed, &odd, &in_list) && im->server)
        return;
    Diag *g = diag_warning(&im->diags, "import", st->file, at, "the column list of the view %.*s.%.*s is left out",
                           (int)q.db.len, q.db.s, (int)q.name.len, q.name.s);
    if (odd.len)
        diag_note(&im->diags, g, NULL, (Span){0},
                  in_list ? "it names '%.*s', which the query does not output" : "it lacks the query's output '%.*s'",
                  (int)odd.len, odd.s);
    diag_note(&im->diags, g, NULL, (Span){0}, "the deployed view has its query's columns and types");
}

static void create_view(Import *im, const Stmt *st, Cur *c, bool replace, ImpKind kind)
{
    QName q, to = {0};
    bool ine;
    if (!head(im, st, c, &q, &ine) || !may_create(im, st, &q, replace, ine))
        return;
    if (kind == IMP_MV && !not_refreshable(im, st, c))
        return;
    if (kind == IMP_MV && cursor_accept(c, "TO")) {
        if (!cursor_qname(c, &im->arena, &to)) {
            replay_error(im, st->file, cursor_span(c), "expected the target table after TO");
            return;
        }
        to = object_qualify(im, to);
    } else if (kind == IMP_MV) {
        Diag *g = replay_error(im, st->file, q.span,
                            "a materialized view without TO (its rows in a hidden inner table) cannot be expressed in .mvd");
        diag_note(&im->diags, g, NULL, (Span){0}, "create the target table and write CREATE MATERIALIZED VIEW ... TO it");
        return;
    }
    const Tok *t = cursor_tok(c);
    NameList stored = {0};
    uint32_t list_off = 0;
    Span list_at = {0};
    if (t && t->type == TK_LP) { /* the column list: the view's own columns */
        stored_columns(im, c, &stored);
        list_off = t->t.off;
        list_at = cursor_span(c);
        c->i = cursor_match(st, c->i) + 1;
    }
    /* SQL SECURITY INVOKER on a plain view is ClickHouse's default for
     * one (default_normal_view_sql_security): the .mvd view, which says
     * nothing, deploys the same (Laminar writes it on every view). */
    if (kind == IMP_VIEW)
        cursor_accept_seq(c, "SQL SECURITY INVOKER");
    cursor_accept(c, "POPULATE");
    if (!cursor_accept(c, "AS") || cursor_at_end(c)) {
        replay_error(im, st->file, cursor_span(c), "expected AS SELECT ...");
        return;
    }
    const char *text;
    Select *query = wrap_select(im, st, cursor_tok(c)->t.off, stmt_end(st), &text);
    if (!query) {
        im->not_imported++;
        return;
    }
    Decl *d = view_decl(im, kind, q, to);
    d->query = query;
    if (kind == IMP_MV && stored.n && keeps_list(im, query, &stored)) {
        /* The list and the query read as one piece: the types' spans and
         * the query's are in the same text. */
        d = wrap_piece(im, st, list_off, stmt_end(st), "materialized view _", ";", &text);
        if (!d) {
            im->not_imported++;
            return;
        }
        d->name = q;
        *LIST_PUSH(&im->arena, &d->lineage.pushes_to) = to;
    }
    if (kind == IMP_VIEW && stored.n)
        view_list_left_out(im, st, q, list_at, query, &stored);
    ImpObject *o = object_new(im, kind, q, st);
    o->decl = d;
    o->src = text;
    query_resolve(im, o->decl, im->default_db, text, im->server && stored.n ? &stored : NULL);
    object_register(im, o);
    im->applied++;
}

/* CREATE DICTIONARY name (attributes) PRIMARY KEY ... SOURCE(...) ...:
 * read by the .mvd grammar's dictionary rule as it stands. */
static void create_dictionary(Import *im, const Stmt *st, Cur *c, bool replace)
{
    QName q;
    bool ine;
    if (!head(im, st, c, &q, &ine) || !may_create(im, st, &q, replace, ine))
        return;
    const Tok *t = cursor_tok(c);
    if (!t || t->type != TK_LP) {
        replay_error(im, st->file, cursor_span(c), "expected the dictionary's attributes in parentheses");
        return;
    }
    const char *text;
    Decl *d = wrap_piece(im, st, t->t.off, stmt_end(st), "dictionary _", ";", &text);
    if (!d) {
        im->not_imported++;
        return;
    }
    d->name = q;
    ImpObject *o = object_new(im, IMP_DICTIONARY, q, st);
    o->decl = d;
    o->src = text;
    object_register(im, o);
    im->applied++;
}

static void create_database(Import *im, const Stmt *st, Cur *c)
{
    cursor_accept_seq(c, "IF NOT EXISTS");
    Name db;
    if (!cursor_name(c, &im->arena, &db)) {
        replay_error(im, st->file, cursor_span(c), "expected the database's name");
        return;
    }
    object_add_database(im, db);
    im->applied++;
}

void replay_create(Import *im, const Stmt *st, Cur *c, bool replace)
{
    cursor_accept(c, "TEMPORARY");
    if (cursor_accept(c, "DATABASE") || cursor_accept(c, "SCHEMA"))
        create_database(im, st, c);
    else if (cursor_accept(c, "TABLE"))
        create_table(im, st, c, replace);
    else if (cursor_accept(c, "VIEW"))
        create_view(im, st, c, replace, IMP_VIEW);
    else if (cursor_accept_seq(c, "MATERIALIZED VIEW"))
        create_view(im, st, c, replace, IMP_MV);
    else if (cursor_accept(c, "DICTIONARY"))
        create_dictionary(im, st, c, replace);
    else if (cursor_accept(c, "FUNCTION"))
        replay_function_create(im, st, c, replace);
    else if (cursor_is(c, "LIVE") || cursor_is(c, "WINDOW"))
        replay_error(im, st->file, cursor_span(c), "CREATE %.*s cannot be expressed in .mvd yet: not imported",
                  (int)cursor_tok(c)->t.len, st->file->text + cursor_tok(c)->t.off);
    else
        im->skipped++; /* USER, ROLE, QUOTA, ...: access control, not schema */
}
