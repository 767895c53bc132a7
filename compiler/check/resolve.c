/* Resolution: every SELECT of a view or MV, every expression of a table
 * and every function body, walked once. It records which objects each
 * query reads and reports unknown-object, unknown-column, wrong-kind,
 * duplicate aliases, lineage-undeclared and lineage-unused.
 *
 * Views resolve on demand (a view that reads a view needs the other's
 * output columns first); an object being resolved offers unknown columns
 * to its readers, so a cycle is reported once, by cycle.c, not here. */
#include <string.h>
#include <strings.h>

#include "check/aggregation.h"
#include "typing/aggregate.h"
#include "typing/agg_forms.h"
#include "check/passes.h"
#include "syntax/walk.h"
#include "check/arity.h"
#include "check/decimal_float.h"
#include "check/scope.h"
#include "check/syntax_version.h"
#include "check/virtual.h"
#include "check/infer.h"
#include "typing/promote.h"
#include "typing/typesyntax.h"
#include "project/versions.h"
#include "syntax/suggest.h"

typedef struct Resolver {
    Project *p;
    Decl *decl;
    Object *obj;          /* the view or MV whose reads are tracked */
    LIST_OF(Span) read_at; /* where each of obj->reads is first read */
    int unknown_sources;  /* FROM names that did not resolve */
    const char *column_check; /* what an unknown column is: unknown-column, or engine in table keys */
} Resolver;

static void resolve_select(Resolver *r, Select *s, Scope *parent, OutColumnList *out, bool *known);
static void resolve_expr(Resolver *r, Scope *sc, Expr *e);

typedef struct ResolveCtx {
    Resolver *r;
    Scope *sc;
} ResolveCtx;

static void resolve_child(Expr *e, void *arg)
{
    ResolveCtx *x = arg;
    resolve_expr(x->r, x->sc, e);
}

static Diags *diags(Resolver *r)
{
    return &r->p->diags;
}

/* Everything the resolver allocates is temporary (scopes, alias lists,
 * subquery columns, message text) but for what an object keeps: its reads
 * and its output columns, which go to the project's arena. */
static Arena *tmp(Resolver *r)
{
    return &r->p->scratch;
}

static const char *cstr(Resolver *r, Name n)
{
    return name_cstr(tmp(r), n);
}

static void note_read(Resolver *r, Object *o, Span at)
{
    if (!r->obj)
        return;
    for (int i = 0; i < r->obj->reads.n; i++)
        if (r->obj->reads.v[i] == o)
            return;
    *LIST_PUSH(&r->p->arena, &r->obj->reads) = o;
    *LIST_PUSH(tmp(r), &r->read_at) = at;
}

/* ---- Expressions ---- */

static void suggest_column(Resolver *r, Diag *g, const Scope *sc, Name wrong)
{
    NameList c = scope_candidates(tmp(r), sc);
    int k = suggest_index(wrong, c.v, c.n);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%s'?", cstr(r, c.v[k]));
}

static void suggest_in_relation(Resolver *r, Diag *g, const Relation *rel, Name wrong)
{
    NameList c = {0};
    for (int i = 0; rel->cols && i < rel->cols->n; i++)
        *LIST_PUSH(tmp(r), &c) = rel->cols->v[i].name;
    int k = suggest_index(wrong, c.v, c.n);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%s'?", cstr(r, c.v[k]));
}

static const char *relation_label(Resolver *r, const Relation *rel)
{
    if (!rel->alias.s && !rel->table.s)
        return "the subquery";
    if (rel->alias.s && rel->table.s && !name_eq(rel->alias, rel->table))
        return arena_printf(tmp(r), "'%s' (%s)", cstr(r, rel->alias), cstr(r, rel->table));
    return arena_printf(tmp(r), "'%s'", cstr(r, rel->table.s ? rel->table : rel->alias));
}

static bool joined_later(const Scope *sc, Name q)
{
    for (int i = sc->joined; sc->from && i < sc->from->n; i++) {
        const FromItem *f = sc->from->v[i];
        if ((f->alias.s && name_eq(f->alias, q)) || (f->kind == FROM_TABLE && name_eq(f->table.name, q)))
            return true;
    }
    return false;
}

static void resolve_column(Resolver *r, Scope *sc, Expr *e)
{
    const NameList *parts = &e->u.path.parts;
    const Relation *rel = NULL;
    int bad = 0;
    Lookup l = scope_lookup(sc, parts, &rel, &bad);
    if (l == LOOKUP_FOUND)
        return;
    if (l == LOOKUP_NO_SUCH_COLUMN) {
        Name col = parts->v[bad];
        Diag *g = diag_error(diags(r), "unknown-column", r->decl->file, col.span, "%s has no column '%s'",
                             relation_label(r, rel), cstr(r, col));
        suggest_in_relation(r, g, rel, col);
        return;
    }
    Name first = parts->v[0];
    if (l == LOOKUP_UNKNOWN_RELATION && joined_later(sc, first)) {
        diag_error(diags(r), "unknown-column", r->decl->file, first.span,
                   "'%s' is joined later in this FROM: ON can only use tables joined before it", cstr(r, first));
        return;
    }
    if (l == LOOKUP_UNKNOWN_RELATION) {
        diag_error(diags(r), "unknown-column", r->decl->file, first.span,
                   "'%s' is neither a column nor a table of this query", cstr(r, first));
        return;
    }
    const char *check = r->column_check ? r->column_check : "unknown-column";
    Diag *g = diag_error(diags(r), check, r->decl->file, e->span, "unknown column '%s'", cstr(r, first));
    suggest_column(r, g, sc, first);
    if (r->column_check)
        diag_note(diags(r), g, NULL, (Span){0}, "a table's keys and TTL can use only its own columns");
}

static void resolve_list(Resolver *r, Scope *sc, ExprList *l)
{
    for (int i = 0; i < l->n; i++)
        resolve_expr(r, sc, l->v[i]);
}

static void push_lambda_param(Resolver *r, Scope *sc, Expr *param)
{
    if (param->kind == EX_COLUMN && param->u.path.parts.n == 1) {
        *LIST_PUSH(tmp(r), &sc->lambda) = param->name;
        return;
    }
    diag_error(diags(r), "syntax", r->decl->file, param->span, "a lambda parameter must be a plain name");
}

static void resolve_lambda(Resolver *r, Scope *sc, Expr *e)
{
    int saved = sc->lambda.n;
    Expr *params = e->u.x.a;
    if (params->kind == EX_TUPLE)
        for (int i = 0; i < params->u.list.items.n; i++)
            push_lambda_param(r, sc, params->u.list.items.v[i]);
    else
        push_lambda_param(r, sc, params);
    resolve_expr(r, sc, e->u.x.b);
    sc->lambda.n = saved;
}

static void resolve_subquery(Resolver *r, Scope *sc, Select *q)
{
    OutColumnList out = {0};
    bool known;
    resolve_select(r, q, sc, &out, &known);
}

static bool read_table_name(Resolver *r, Scope *sc, Expr *e);

static void resolve_window(Resolver *r, Scope *sc, Window *w)
{
    walk_window(w, resolve_child, &(ResolveCtx){r, sc});
}

static void check_window_name(Resolver *r, const Scope *sc, Name w)
{
    for (int i = 0; sc->windows && i < sc->windows->n; i++)
        if (name_eq(sc->windows->v[i].name, w))
            return;
    Diag *g = diag_error(diags(r), "unknown-object", r->decl->file, w.span,
                         "window '%s' is not defined in this SELECT", cstr(r, w));
    NameList names = {0};
    for (int i = 0; sc->windows && i < sc->windows->n; i++)
        *LIST_PUSH(tmp(r), &names) = sc->windows->v[i].name;
    int k = suggest_index(w, names.v, names.n);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%s'?", cstr(r, names.v[k]));
    else
        diag_note(diags(r), g, NULL, (Span){0}, "define it with WINDOW %s AS (...) after GROUP BY/HAVING",
                  cstr(r, w));
}

/* Calls that are syntax, not functions: GROUP BY ROLLUP(a, b), CUBE(...),
 * GROUPING(...), and the COLUMNS('regexp') matcher. */
static bool is_pseudo_function(Name n)
{
    static const char *const pseudo[] = {"rollup", "cube", "grouping", "columns", NULL};
    for (int i = 0; pseudo[i]; i++)
        if (n.len == strlen(pseudo[i]) && strncasecmp(n.s, pseudo[i], n.len) == 0)
            return true;
    return false;
}

/* `lowerIf`: a combinator on a function that is not an aggregate. */
static bool explain_combinator(Resolver *r, Diag *g, Name n)
{
    const char *suffix;
    for (int i = 0; (suffix = aggregate_combinator(i)); i++) {
        size_t k = strlen(suffix);
        if (n.len <= k || memcmp(n.s + n.len - k, suffix, k) != 0)
            continue;
        Name base = {.s = n.s, .len = (uint32_t)(n.len - k), .span = n.span};
        Object *o = project_function(r->p, base);
        if (o && o->kind != OBJ_AGGREGATE) {
            diag_note(diags(r), g, NULL, (Span){0}, "'%s' is not an aggregate function: -%s applies to aggregates",
                      o->qname, suffix);
            return true;
        }
    }
    return false;
}

static void report_unknown_function(Resolver *r, Name n)
{
    Diag *g = diag_error(diags(r), "unknown-function", r->decl->file, n.span, "unknown function '%s'", cstr(r, n));
    if (explain_combinator(r, g, n))
        return;
    const StrMap *m = &r->p->functions;
    Name *cands = arena_alloc(tmp(r), sizeof(Name) * (m->n + 1));
    int nc = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            cands[nc++] = (Name){.s = m->slots[i].key, .len = (uint32_t)m->slots[i].len};
    int k = suggest_index(n, cands, nc);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%.*s'?", (int)cands[k].len, cands[k].s);
    else
        diag_note(diags(r), g, NULL, (Span){0}, "declare it with 'function' if it is a UDF on the server");
}

/* groupUniqArray(3)(x), topK(3, 5)(x), sumResample(0, 9, 3)(x, k): forms
 * the aggregate gained after it appeared (agg_forms.c). */
static bool aggregate_call_form_available(Resolver *r, const Expr *e)
{
    const CallExtra *x = e->u.call.extra;
    int n = (e->flags & EF_PARAMETRIC) && x ? x->params.n : 0;
    Span *at = arena_alloc(tmp(r), sizeof *at * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        at[i] = x->params.v[i]->span;
    return aggregate_form_available(r->p, e->name.s, e->name.len, at, n, r->decl->file, e->name.span, false);
}

/* A call names a function or aggregate of the library or the project,
 * possibly with combinators, that the target server version has, and
 * passes it arguments it takes (arity.c). */
static void check_function(Resolver *r, Scope *sc, Expr *e)
{
    Name n = e->name;
    if (is_pseudo_function(n))
        return;
    Object *f = project_function(r->p, n);
    size_t base_len;
    if (!f)
        f = aggregate_base(r->p, n.s, n.len, &base_len);
    if (!f) {
        report_unknown_function(r, n);
        return;
    }
    if (f->since_major && !version_at_least(&r->p->options, f->since_major, f->since_minor))
        version_report_function(r->p, r->decl->file, n.span, f->qname, f->since_major, f->since_minor);
    else if (f->kind != OBJ_AGGREGATE || aggregate_call_form_available(r, e))
        arity_check_call(r->p, sc, e, f, r->decl->file);
}

/* A mistake in a dictGet call: refused at CREATE by an MV (ClickHouse
 * analyses its query to make its header) and by a view where the
 * analyzer is the default (24.3 on; chDB 26.5: 36); older servers create
 * the view, and its SELECTs fail. */
static Diag *dictionary_problem(Resolver *r, const char *check, Span at, const char *msg)
{
    bool refused = r->decl->kind == DECL_MV || version_at_least(&r->p->options, 24, 3);
    return refused ? diag_error(diags(r), check, r->decl->file, at, "%s", msg)
                   : diag_warning(diags(r), check, r->decl->file, at, "%s", msg);
}

static void check_dictionary_attribute(Resolver *r, Object *dict, const Expr *e)
{
    Name attr = dictionary_attribute_name(r->p, e, r->decl->file->text);
    if (!attr.len || (dictionary_attribute(dict, attr) && !dictionary_is_key(dict, attr)))
        return;
    const char *msg = dictionary_attribute(dict, attr)
        ? arena_printf(tmp(r), "'%s' is the key of dictionary '%s', not an attribute", cstr(r, attr), dict->qname)
        : arena_printf(tmp(r), "dictionary '%s' has no attribute '%s'", dict->qname, cstr(r, attr));
    Diag *g = dictionary_problem(r, "unknown-column", attr.span, msg);
    NameList c = {0};
    for (int i = 0; i < dict->columns.n; i++)
        if (!dictionary_is_key(dict, dict->columns.v[i].name))
            *LIST_PUSH(tmp(r), &c) = dict->columns.v[i].name;
    int k = suggest_index(attr, c.v, c.n);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%s'?", cstr(r, c.v[k]));
}

/* dictGet('db.d', 'attr', key) and its family read the dictionary db.d:
 * it is a source of the query (pulls_from lists it, the plan creates it
 * first), and the attribute must be one of its columns. */
static void resolve_dictionary_call(Resolver *r, const Expr *e)
{
    if (!dictionary_is_lookup(e))
        return;
    DictRef ref = dictionary_ref(r->p, e, r->decl->file->text);
    if (!ref.named)
        return;
    if (ref.unqualified) {
        for (int i = 0; i < r->p->object_list.n; i++) {
            Object *o = r->p->object_list.v[i];
            if (o->kind != OBJ_DICTIONARY || !name_eq(o->name, ref.name))
                continue;
            Diag *g = diag_warning(diags(r), "unknown-object", r->decl->file, ref.at,
                                   "an unqualified dictionary name is looked up in the current database of "
                                   "whoever runs the query, not in this file's");
            diag_note(diags(r), g, NULL, (Span){0}, "write '%s'", o->qname);
            return;
        }
        return; /* a dictionary of the server's configuration files */
    }
    Object *o = ref.object;
    if (o && o->kind == OBJ_DICTIONARY) {
        note_read(r, o, ref.at);
        check_dictionary_attribute(r, o, e);
        return;
    }
    if (o && o->kind == OBJ_BROKEN)
        return;
    if (!o && !strmap_get(&r->p->databases, ref.db.s, ref.db.len))
        return; /* not this project's database: say nothing */
    const char *msg = o ? arena_printf(tmp(r), "'%s' is %s, not a dictionary", o->qname,
                                       o->kind == OBJ_TABLE ? "a table" : "not declared as a dictionary")
                        : arena_printf(tmp(r), "dictionary '%s.%s' is not declared", cstr(r, ref.db), cstr(r, ref.name));
    Diag *g = dictionary_problem(r, o ? "wrong-kind" : "unknown-object", ref.at, msg);
    if (!o)
        declare_explain_unknown(r->p, g, ref.name);
}

/* Each kind's own work, then its children (syntax/walk.c) unless it
 * binds names for them (lambdas) or has a scope of its own (subqueries). */
static void resolve_expr(Resolver *r, Scope *sc, Expr *e)
{
    if (!e)
        return;
    switch ((ExprKind)e->kind) {
    case EX_COLUMN:
        resolve_column(r, sc, e);
        return;
    case EX_CALL:
        check_function(r, sc, e);
        resolve_dictionary_call(r, e);
        if (e->u.call.extra && e->u.call.extra->window.s)
            check_window_name(r, sc, e->u.call.extra->window);
        break;
    case EX_BINARY:
        /* x IN t: t names a table, not a column */
        if (e->op >= OP_IN && e->op <= OP_GLOBAL_NOT_IN && read_table_name(r, sc, e->u.x.b)) {
            resolve_expr(r, sc, e->u.x.a);
            return;
        }
        walk_children(e, resolve_child, &(ResolveCtx){r, sc});
        decimal_float_check(r->p, sc, e, r->decl->file);
        return;
    case EX_BETWEEN:
        walk_children(e, resolve_child, &(ResolveCtx){r, sc});
        decimal_float_check(r->p, sc, e, r->decl->file);
        return;
    case EX_CAST:
        if (!e->u.cast.type->resolved)
            e->u.cast.type->resolved = typesyntax_read(r->p, r->decl->file, e->u.cast.type, e->span);
        break;
    case EX_LAMBDA:
        resolve_lambda(r, sc, e);
        return;
    case EX_SUBQUERY: case EX_EXISTS:
        resolve_subquery(r, sc, e->u.sub.query);
        return;
    default:
        break;
    }
    walk_children(e, resolve_child, &(ResolveCtx){r, sc});
}

/* ---- Sources: FROM, JOIN, ARRAY JOIN, `IN table` ---- */

static const OutColumnList *renamed_columns(Resolver *r, const OutColumnList *cols, const NameList *names);

static const OutColumnList *cte_columns(Resolver *r, Cte *c)
{
    if (c->state == RS_RUNNING && c->recursive)
        return NULL; /* its columns while its own body is read: unknown */
    if (c->state == RS_RUNNING) {
        diag_error(diags(r), "cycle", r->decl->file, c->name.span,
                   "WITH subquery '%s' reads itself: ClickHouse has no recursive WITH here", cstr(r, c->name));
        r->unknown_sources++; /* what it meant to read is unknown: no lineage-unused */
        c->state = RS_DONE;
        return NULL;
    }
    if (c->state == RS_NONE) {
        c->state = RS_RUNNING;
        resolve_select(r, c->query, c->scope, &c->cols, &c->known);
        c->state = RS_DONE;
        if (c->columns.n && c->known) {
            const OutColumnList *renamed = renamed_columns(r, &c->cols, &c->columns);
            c->known = renamed != NULL;
            if (renamed)
                c->cols = *renamed;
        }
    }
    return c->known ? &c->cols : NULL;
}

static void report_unknown_source(Resolver *r, QName *q, Name db, Scope *sc)
{
    r->unknown_sources++;
    if (!q->db.s && strmap_get(&r->p->functions, q->name.s, q->name.len)) {
        declare_lookup_source(r->p, r->decl, q, "table"); /* says it is a function */
        return;
    }
    const char *shown = db.s ? arena_printf(tmp(r), "%s.%s", cstr(r, db), cstr(r, q->name)) : cstr(r, q->name);
    Diag *g = diag_error(diags(r), "unknown-object", r->decl->file, q->span, "'%s' is not declared", shown);
    NameList ctes = {0};
    for (const Scope *s = sc; s; s = s->parent)
        for (int i = 0; i < s->ctes.n; i++)
            *LIST_PUSH(tmp(r), &ctes) = s->ctes.v[i]->name;
    int k = suggest_index(q->name, ctes.v, ctes.n);
    if (k >= 0)
        diag_note(diags(r), g, NULL, (Span){0}, "did you mean '%s'?", cstr(r, ctes.v[k]));
    else
        declare_explain_unknown(r->p, g, q->name);
}

/* The columns an object offers a reader; NULL when unknown. */
static const OutColumnList *object_source(Resolver *r, Object *o, Span at)
{
    if (o->kind == OBJ_MV) {
        Diag *g = diag_error(diags(r), "wrong-kind", r->decl->file, at,
                             "'%s' is a materialized view: it holds no rows to read", o->qname);
        declare_explain_mv_target(r->p, g, o, "read");
        return NULL;
    }
    note_read(r, o, at);
    bool known;
    const OutColumnList *cols = resolve_object_columns(r->p, o, &known);
    return known ? virtual_readable_columns(r->p, o, cols) : NULL;
}

/* Resolves a named source: a CTE in reach, else a declared object. */
static Relation named_source(Resolver *r, Scope *sc, QName *q)
{
    Relation rel = {.table = q->name};
    Cte *c = q->db.s ? NULL : scope_find_cte(sc, q->name);
    if (c) {
        rel.cols = cte_columns(r, c);
        return rel;
    }
    Name db = project_db_of(r->decl, q);
    rel.db = db;
    Object *o = project_lookup(r->p, db, q->name);
    if (o && o->kind == OBJ_BROKEN) {
        r->unknown_sources++; /* a syntax error stands for it: no columns, no more noise */
        return rel;
    }
    if (o && o->kind == OBJ_DROPPED) {
        r->unknown_sources++;
        declare_lookup_source(r->p, r->decl, q, "table");
        return rel;
    }
    if (!o) {
        report_unknown_source(r, q, db, sc);
        return rel;
    }
    rel.cols = object_source(r, o, q->span);
    return rel;
}

/* `x IN t`: when t is not a column it names a table (or CTE) to read. */
static bool read_table_name(Resolver *r, Scope *sc, Expr *e)
{
    if (e->kind != EX_COLUMN || e->u.path.parts.n > 2)
        return false;
    const Relation *rel;
    int bad;
    if (scope_lookup(sc, &e->u.path.parts, &rel, &bad) == LOOKUP_FOUND)
        return false;
    QName q = {.span = e->span};
    q.name = e->u.path.parts.v[e->u.path.parts.n - 1];
    if (e->u.path.parts.n == 2)
        q.db = e->u.path.parts.v[0];
    Cte *c = q.db.s ? NULL : scope_find_cte(sc, q.name);
    if (c) {
        cte_columns(r, c); /* its body is resolved, and what it reads counted */
        return true;
    }
    Object *o = project_lookup(r->p, project_db_of(r->decl, &q), q.name);
    if (!o || o->kind == OBJ_DROPPED)
        return false;
    object_source(r, o, e->span);
    return true;
}

static OutColumnList *alias_columns(Resolver *r, ExprList *items)
{
    OutColumnList *cols = arena_zalloc(tmp(r), sizeof(*cols));
    for (int i = 0; i < items->n; i++)
        if (items->v[i]->kind == EX_ALIAS)
            *LIST_PUSH(tmp(r), cols) = (OutColumn){.name = items->v[i]->name, .ordinary = true};
    return cols;
}

/* `AS t(a, b)`: the source's columns under new names, in order; unknown
 * when the counts differ (ClickHouse refuses that). */
static const OutColumnList *renamed_columns(Resolver *r, const OutColumnList *cols, const NameList *names)
{
    if (!cols)
        return NULL;
    OutColumnList *out = arena_zalloc(tmp(r), sizeof(*out));
    for (int i = 0; i < cols->n; i++)
        if (cols->v[i].ordinary || !cols->v[i].from_table)
            *LIST_PUSH(tmp(r), out) = cols->v[i];
    if (out->n != names->n)
        return NULL;
    for (int i = 0; i < out->n; i++)
        out->v[i].name = names->v[i];
    return out;
}

/* A subquery in FROM sees the outer WITH names, not its siblings. */
static const OutColumnList *from_subquery(Resolver *r, Scope *sc, Select *q)
{
    Scope *outer = arena_alloc(tmp(r), sizeof(*outer));
    *outer = *sc;
    memset(&outer->rels, 0, sizeof(outer->rels));
    OutColumnList *out = arena_zalloc(tmp(r), sizeof(*out));
    bool known;
    resolve_select(r, q, outer, out, &known);
    return known ? out : NULL;
}

static void add_from_item(Resolver *r, Scope *sc, FromItem *f)
{
    Relation rel = {.alias = f->alias};
    switch ((FromKind)f->kind) {
    case FROM_TABLE:
        rel = named_source(r, sc, &f->table);
        rel.alias = f->alias;
        break;
    case FROM_SUBQUERY:
        rel.cols = from_subquery(r, sc, f->query);
        if (f->explain)
            rel.cols = NULL; /* EXPLAIN's rows: its own columns */
        break;
    case FROM_FUNCTION:
        rel.table = f->func->name; /* columns unknown: accept any */
        if (f->func->flags & EF_SELECT_ARG) { /* view(SELECT ...) reads here, remote(.., view(..)) not */
            rel.cols = from_subquery(r, sc, f->func->u.call.args.v[0]->u.sub.query);
        }
        break;
    case FROM_ARRAY_JOIN:
        resolve_list(r, sc, &f->array_items);
        rel.cols = alias_columns(r, &f->array_items);
        break;
    }
    if (f->column_aliases.n)
        rel.cols = renamed_columns(r, rel.cols, &f->column_aliases);
    resolve_expr(r, sc, f->sample);
    resolve_expr(r, sc, f->sample_offset);
    *LIST_PUSH(tmp(r), &sc->rels) = rel;
}

/* USING names a column that both sides have: the table just joined, and
 * one of those to its left. */
static void check_using(Resolver *r, Scope *sc, FromItem *f)
{
    if (!f->using_cols.n)
        return;
    const Relation *right = &sc->rels.v[sc->rels.n - 1];
    for (int i = 0; i < f->using_cols.n; i++) {
        Name col = f->using_cols.v[i];
        bool left = false;
        for (int k = 0; k + 1 < sc->rels.n && !left; k++)
            left = scope_relation_has(&sc->rels.v[k], col);
        if (!scope_relation_has(right, col)) {
            Diag *g = diag_error(diags(r), "unknown-column", r->decl->file, col.span,
                                 "USING column '%s' is not in %s", cstr(r, col), relation_label(r, right));
            suggest_in_relation(r, g, right, col);
        } else if (!left) {
            Diag *g = diag_error(diags(r), "unknown-column", r->decl->file, col.span,
                                 "USING column '%s' is not in the tables joined before %s", cstr(r, col),
                                 relation_label(r, right));
            suggest_column(r, g, sc, col);
        }
    }
}

static void resolve_from(Resolver *r, Scope *sc, FromList *from)
{
    sc->from = from;
    for (int i = 0; i < from->n; i++) {
        FromItem *f = from->v[i];
        add_from_item(r, sc, f);
        sc->joined = i + 1;
        check_using(r, sc, f);
        resolve_expr(r, sc, f->on);
    }
    sc->from = NULL;
}

/* ---- SELECT ---- */

static void collect_aliases(Resolver *r, Scope *sc, Expr *e);

static void collect_alias_list(Resolver *r, Scope *sc, ExprList *l)
{
    for (int i = 0; i < l->n; i++)
        collect_aliases(r, sc, l->v[i]);
}

static void add_alias(Resolver *r, Scope *sc, Expr *e)
{
    for (int i = 0; i < sc->aliases.n; i++) {
        AliasDef *a = &sc->aliases.v[i];
        if (!name_eq(a->name, e->name))
            continue;
        if (!ast_equal(a->expr->u.x.a, e->u.x.a, r->decl->file->text)) {
            Diag *g = diag_error(diags(r), "duplicate", r->decl->file, e->name.span,
                                 "alias '%s' names two different expressions", cstr(r, e->name));
            diag_note(diags(r), g, r->decl->file, a->name.span, "first defined here");
        }
        return;
    }
    *LIST_PUSH(tmp(r), &sc->aliases) = (AliasDef){e->name, e};
}

/* Aliases anywhere in the SELECT, outside subqueries and lambdas (a
 * lambda's body is evaluated per element: its aliases are its own). */
typedef struct AliasCtx {
    Resolver *r;
    Scope *sc;
} AliasCtx;

static WalkResult collect_alias(Walker *w, Expr *e)
{
    AliasCtx *x = w->ctx;
    if (e->kind == EX_LAMBDA)
        return WALK_PRUNE;
    if (e->kind == EX_ALIAS)
        add_alias(x->r, x->sc, e);
    return WALK_CONTINUE;
}

static void collect_aliases(Resolver *r, Scope *sc, Expr *e)
{
    Walker w = {.expr = collect_alias, .ctx = &(AliasCtx){r, sc}};
    walk_expr(&w, e);
}

static void declare_with(Resolver *r, Scope *sc, WithList *with, bool recursive)
{
    for (int i = 0; i < with->n; i++) {
        WithItem *w = &with->v[i];
        if (!w->query) {
            Expr alias = {.kind = EX_ALIAS, .name = w->name, .span = w->span};
            alias.u.x.a = w->expr;
            Expr *copy = arena_alloc(tmp(r), sizeof(*copy));
            *copy = alias;
            add_alias(r, sc, copy);
            continue;
        }
        if (w->expr->kind != EX_COLUMN || w->expr->u.path.parts.n != 1) {
            diag_error(diags(r), "syntax", r->decl->file, w->expr->span,
                       "a WITH subquery needs a plain name: WITH name AS (SELECT ...)");
            continue;
        }
        Cte *c = arena_zalloc(tmp(r), sizeof(*c));
        c->name = w->expr->name;
        c->query = w->query;
        c->scope = sc;
        c->recursive = recursive;
        c->columns = w->columns;
        for (int j = 0; j < sc->ctes.n; j++) {
            if (!name_eq(sc->ctes.v[j]->name, c->name))
                continue;
            Diag *g = diag_error(diags(r), "duplicate", r->decl->file, c->name.span,
                                 "WITH name '%s' is defined twice", cstr(r, c->name));
            diag_note(diags(r), g, r->decl->file, sc->ctes.v[j]->name.span, "first defined here");
        }
        *LIST_PUSH(tmp(r), &sc->ctes) = c;
    }
}

static void resolve_with_exprs(Resolver *r, Scope *sc, WithList *with)
{
    for (int i = 0; i < with->n; i++)
        if (!with->v[i].query)
            resolve_expr(r, sc, with->v[i].expr);
}

static void resolve_order(Resolver *r, Scope *sc, OrderList *o)
{
    for (int i = 0; i < o->n; i++) {
        resolve_expr(r, sc, o->v[i].expr);
        resolve_expr(r, sc, o->v[i].fill_from);
        resolve_expr(r, sc, o->v[i].fill_to);
        resolve_expr(r, sc, o->v[i].fill_step);
    }
}

static void resolve_clauses(Resolver *r, Scope *sc, Select *s)
{
    resolve_with_exprs(r, sc, &s->with);
    resolve_list(r, sc, &s->distinct_on);
    resolve_list(r, sc, &s->items);
    resolve_expr(r, sc, s->prewhere);
    resolve_expr(r, sc, s->where);
    resolve_list(r, sc, &s->group.exprs);
    resolve_expr(r, sc, s->having);
    for (int i = 0; i < s->windows.n; i++)
        resolve_window(r, sc, s->windows.v[i].spec);
    resolve_expr(r, sc, s->qualify);
    resolve_order(r, sc, &s->order);
    resolve_list(r, sc, &s->limits.by);
    resolve_expr(r, sc, s->limits.by_limit.count);
    resolve_expr(r, sc, s->limits.by_limit.offset);
    resolve_expr(r, sc, s->limits.limit.count);
    resolve_expr(r, sc, s->limits.limit.offset);
    resolve_expr(r, sc, s->limits.offset_only);
}

static bool excluded(const NameList *except, Name n)
{
    for (int i = 0; i < except->n; i++)
        if (name_eq(except->v[i], n))
            return true;
    return false;
}

static bool expand_star(Resolver *r, Scope *sc, Expr *star, OutColumnList *out)
{
    const NameList *q = &star->u.path.parts;
    bool known = true;
    for (int i = 0; i < sc->rels.n; i++) {
        Relation *rel = &sc->rels.v[i];
        if (q->n && !((rel->alias.s && name_eq(rel->alias, q->v[q->n - 1])) ||
                      (rel->table.s && name_eq(rel->table, q->v[q->n - 1]))))
            continue;
        if (!rel->cols) {
            known = false;
            continue;
        }
        for (int c = 0; c < rel->cols->n; c++)
            if (rel->cols->v[c].ordinary && !excluded(&star->u.path.except, rel->cols->v[c].name))
                *LIST_PUSH(tmp(r), out) = rel->cols->v[c];
    }
    return known;
}

/* A column path's output name: the path without its relation, joined
 * with dots. ClickHouse names `t.col` col but `tup.a`, `n.a` (a Nested
 * field) and `t.tup.a` tup.a (chDB 26.5, DESCRIBE of the SELECT), so an
 * MV's `n.a` fills the target's column `n.a`. */
static Name path_output_name(Resolver *r, Scope *sc, Expr *e)
{
    const NameList *parts = &e->u.path.parts;
    int from = scope_qualifier_parts(sc, parts);
    if (from >= parts->n - 1)
        return e->name;
    Name n = {.span = span_cover(parts->v[from].span, e->name.span)};
    size_t len = 0;
    for (int k = from; k < parts->n; k++)
        len += parts->v[k].len + 1;
    char *s = arena_alloc(&r->p->arena, len); /* kept with the object's columns */
    for (int k = from; k < parts->n; k++) {
        if (k > from)
            s[n.len++] = '.';
        memcpy(s + n.len, parts->v[k].s, parts->v[k].len);
        n.len += parts->v[k].len;
    }
    n.s = s;
    return n;
}

/* An output's name: its alias, a column's own name, or (as ClickHouse
 * does for anything else) the expression's text. */
static Name output_name(Resolver *r, Scope *sc, Expr *e)
{
    if (e->kind == EX_COLUMN && e->u.path.parts.n > 1)
        return path_output_name(r, sc, e);
    if (e->kind == EX_ALIAS || e->kind == EX_COLUMN)
        return e->name;
    return (Name){.s = r->decl->file->text + e->span.off, .len = e->span.len, .span = e->span};
}

/* A SELECT item: its name and type, and for a Nullable type whether a
 * NULL can come at all (what a plain target column can take). */
static OutColumn output_column(Resolver *r, Scope *sc, Expr *e)
{
    const char *src = r->decl->file->text;
    OutColumn c = {.name = output_name(r, sc, e), .ordinary = true, .origin.expr = e, .type = infer_type(r->p, sc, e, src)};
    if (c.type && type_strip_nullable(&r->p->types, c.type) != c.type)
        c.never_null = infer_never_null(r->p, sc, e, src);
    return c;
}

static bool select_outputs(Resolver *r, Scope *sc, Select *s, OutColumnList *out)
{
    bool known = true;
    for (int i = 0; i < s->items.n; i++) {
        Expr *e = s->items.v[i];
        if (e->kind == EX_STAR)
            known &= expand_star(r, sc, e, out);
        else
            *LIST_PUSH(tmp(r), out) = output_column(r, sc, e);
    }
    return known;
}

static bool resolve_core(Resolver *r, Select *s, Scope *parent, OutColumnList *out)
{
    syntax_version_check(r->p, r->decl->file, s);
    Scope *sc = arena_zalloc(tmp(r), sizeof(*sc));
    sc->parent = parent;
    sc->windows = &s->windows;
    declare_with(r, sc, &s->with, s->recursive);
    resolve_from(r, sc, &s->from);
    collect_alias_list(r, sc, &s->items);
    collect_aliases(r, sc, s->where);
    collect_aliases(r, sc, s->prewhere);
    collect_alias_list(r, sc, &s->group.exprs);
    collect_aliases(r, sc, s->having);
    resolve_clauses(r, sc, s);
    check_aggregation(r->p, r->decl->file, sc, s);
    return out ? select_outputs(r, sc, s, out) : true;
}

/* A UNION's columns are its first branch's names, each of the least
 * supertype of the branches' types at its place (chDB 26.5: `SELECT 1
 * UNION ALL SELECT 300` is UInt16; LowCardinality(String) and String meet
 * in String, as in if()); unknown where a branch's is. */
static void union_types(Resolver *r, OutColumnList *out, const OutColumnList *branch)
{
    if (branch->n != out->n)
        return; /* ClickHouse refuses it (code 258) */
    for (int i = 0; i < out->n; i++) {
        OutColumn *c = &out->v[i];
        const Type *both[2] = {c->type, branch->v[i].type};
        c->never_null &= branch->v[i].never_null;
        if (both[0] != both[1])
            c->type = both[0] && both[1] ? promote_supertype(r->p, both, 2) : NULL;
    }
}

static void resolve_select(Resolver *r, Select *s, Scope *parent, OutColumnList *out, bool *known)
{
    *known = resolve_core(r, s, parent, out);
    for (Select *b = s->next; b; b = b->next) {
        OutColumnList branch = {0};
        resolve_core(r, b, parent, out ? &branch : NULL);
        if (out)
            union_types(r, out, &branch);
    }
}

/* ---- Objects ---- */

static Object *leftmost_table(Resolver *r, Select *s, int depth);

/* The table whose inserts fire an MV: its query's left-most source,
 * through subqueries and CTEs. */
static Object *leftmost_source(Resolver *r, FromItem *f, Select *s, int depth)
{
    if (depth > 32)
        return NULL;
    if (f->kind == FROM_SUBQUERY)
        return leftmost_table(r, f->query, depth + 1);
    if (f->kind != FROM_TABLE)
        return NULL;
    if (!f->table.db.s)
        for (int i = 0; i < s->with.n; i++)
            if (s->with.v[i].query && s->with.v[i].expr->kind == EX_COLUMN &&
                name_eq(s->with.v[i].expr->name, f->table.name))
                return leftmost_table(r, s->with.v[i].query, depth + 1);
    return project_lookup(r->p, project_db_of(r->decl, &f->table), f->table.name);
}

static Object *leftmost_table(Resolver *r, Select *s, int depth)
{
    return s->from.n ? leftmost_source(r, s->from.v[0], s, depth) : NULL;
}

static bool pulls(Object *o, Object *x)
{
    for (int i = 0; i < o->pulls.n; i++)
        if (o->pulls.v[i] == x)
            return true;
    return false;
}

static void check_lineage(Resolver *r)
{
    Object *o = r->obj;
    Decl *d = r->decl;
    /* A pulls_from name that did not resolve (already reported) may be a
     * typo of what the query reads: say nothing more about the reads. */
    bool unresolved_pull = false;
    for (int i = 0; i < o->pulls.n; i++)
        unresolved_pull |= o->pulls.v[i] == NULL;
    for (int i = 0; i < o->reads.n && !unresolved_pull; i++) {
        if (pulls(o, o->reads.v[i]))
            continue;
        Diag *g = diag_error(diags(r), "lineage-undeclared", d->file, r->read_at.v[i],
                             "the query reads '%s', which pulls_from does not list", o->reads.v[i]->qname);
        diag_note(diags(r), g, NULL, (Span){0}, "add it to pulls_from, so that the plan orders it first");
    }
    if (r->unknown_sources)
        return; /* a source that did not resolve may be the one listed */
    for (int i = 0; i < o->pulls.n; i++) {
        Object *src = o->pulls.v[i];
        bool read = false;
        for (int j = 0; j < o->reads.n && !read; j++)
            read = o->reads.v[j] == src;
        if (src && !read)
            diag_warning(diags(r), "lineage-unused", d->file, d->lineage.pulls_from.v[i].span,
                         "pulls_from lists '%s', which the query never reads", src->qname);
    }
}

/* An MV fires on inserts into its query's left-most table. A view gets no
 * inserts: an MV over one would never fire. */
static void check_trigger(Resolver *r, Object *o)
{
    o->trigger = leftmost_table(r, o->decl->query, 0);
    if (!o->trigger || (o->trigger->kind != OBJ_VIEW && o->trigger->kind != OBJ_DICTIONARY))
        return;
    FromItem *f = o->decl->query->from.v[0];
    if (o->trigger->kind == OBJ_DICTIONARY) {
        diag_error(diags(r), "wrong-kind", o->decl->file, f->span,
                   "'%s' is a dictionary: it receives no inserts, so this materialized view would never fire",
                   o->trigger->qname);
        o->trigger = NULL;
        return;
    }
    Diag *g = diag_error(diags(r), "wrong-kind", o->decl->file, f->span,
                         "'%s' is a view: it receives no inserts, so this materialized view would never fire",
                         o->trigger->qname);
    diag_note(diags(r), g, NULL, (Span){0},
              "pull from the table the view reads instead: inserts into a table are what fire an MV");
    o->trigger = NULL;
}

static void keep_columns(Project *p, Object *o, const OutColumnList *out)
{
    o->columns.v = arena_alloc(&p->arena, sizeof(OutColumn) * (size_t)(out->n + 1));
    o->columns.n = o->columns.cap = out->n;
    if (out->n)
        memcpy(o->columns.v, out->v, sizeof(OutColumn) * (size_t)out->n);
}

/* An MV's columns go into its target by name: two outputs with one name
 * make that insert ambiguous. (Two aliases with one name are reported by
 * the alias check already.) */
static void check_output_names(Resolver *r, const OutColumnList *out)
{
    for (int i = 0; i < out->n; i++) {
        for (int j = 0; j < i; j++) {
            const Expr *x = out->v[i].origin.expr, *y = out->v[j].origin.expr;
            if (!name_eq(out->v[i].name, out->v[j].name) ||
                (x && y && x->kind == EX_ALIAS && y->kind == EX_ALIAS))
                continue;
            const Expr *e = out->v[i].origin.expr;
            Span at = e ? (e->kind == EX_ALIAS ? e->name.span : e->span) : r->decl->name.span;
            Diag *g = diag_error(diags(r), "duplicate", r->decl->file, at, "output column '%s' appears twice",
                                 cstr(r, out->v[i].name));
            const Expr *first = out->v[j].origin.expr;
            if (first)
                diag_note(diags(r), g, r->decl->file, first->span, "first output here");
            break;
        }
    }
}

static void resolve_query_object(Project *p, Object *o)
{
    ArenaMark mark = arena_mark(&p->scratch);
    Resolver r = {.p = p, .decl = o->decl, .obj = o};
    o->state = RS_RUNNING;
    OutColumnList out = {0};
    bool known;
    resolve_select(&r, o->decl->query, NULL, &out, &known);
    if (o->kind == OBJ_MV)
        check_output_names(&r, &out);
    keep_columns(p, o, &out);
    o->columns_known = known;
    if (o->kind == OBJ_MV)
        check_trigger(&r, o);
    check_lineage(&r);
    o->state = RS_DONE;
    arena_release(&p->scratch, mark);
}

const OutColumnList *resolve_object_columns(Project *p, Object *o, bool *known)
{
    if (o->kind == OBJ_VIEW && o->state == RS_NONE)
        resolve_query_object(p, o);
    *known = o->columns_known && o->state != RS_RUNNING;
    return &o->columns;
}

/* Indexes and constraints are expressions over the table's columns; a
 * projection is a SELECT over the table itself, with no FROM. */
static void resolve_table_extras(Resolver *r, Scope *sc, TableBody *x)
{
    for (int i = 0; i < x->indexes.n; i++)
        resolve_expr(r, sc, x->indexes.v[i]->expr);
    for (int i = 0; i < x->constraints.n; i++)
        resolve_expr(r, sc, x->constraints.v[i]->expr);
    Scope projection = {.parent = sc};
    *LIST_PUSH(&r->p->scratch, &projection.rels) = (Relation){.cols = virtual_projection_columns(r->p)};
    for (int i = 0; i < x->projections.n; i++)
        resolve_subquery(r, &projection, x->projections.v[i]->query);
}

/* Column expressions and table clauses see the table's own columns. */
static void resolve_table(Project *p, Object *o)
{
    ArenaMark mark = arena_mark(&p->scratch);
    Decl *d = o->decl;
    Resolver r = {.p = p, .decl = d};
    Scope sc = {0};
    Relation self = {.table = o->name, .db = o->db, .cols = &o->columns};
    *LIST_PUSH(&p->scratch, &sc.rels) = self;
    for (int i = 0; i < d->columns.n; i++) {
        ColumnMods *m = d->columns.v[i]->mods;
        if (m) {
            resolve_expr(&r, &sc, m->default_expr);
            resolve_expr(&r, &sc, m->ttl);
        }
    }
    r.column_check = "engine"; /* ORDER BY, PARTITION BY, ..., TTL: the engine refuses the table */
    for (int i = 0; i < d->clauses.n; i++) {
        Clause *c = &d->clauses.v[i];
        resolve_expr(&r, &sc, c->expr);
        for (int j = 0; j < c->ttl.n; j++) {
            TtlItem *t = &c->ttl.v[j];
            resolve_expr(&r, &sc, t->expr);
            resolve_expr(&r, &sc, t->where);
            for (int k = 0; k < t->group.n; k++)
                resolve_expr(&r, &sc, t->group.v[k]);
            for (int k = 0; k < t->set.n; k++)
                resolve_expr(&r, &sc, t->set.v[k]);
        }
    }
    r.column_check = NULL;
    if (d->extras)
        resolve_table_extras(&r, &sc, d->extras);
    arena_release(&p->scratch, mark);
}

static void resolve_function(Project *p, Object *o)
{
    Decl *d = o->decl;
    Resolver r = {.p = p, .decl = d};
    ArenaMark mark = arena_mark(&p->scratch);
    Scope sc = {0};
    for (int i = 0; i < d->params.n; i++)
        *LIST_PUSH(&p->scratch, &sc.lambda) = d->params.v[i].name;
    resolve_expr(&r, &sc, d->body);
    arena_release(&p->scratch, mark);
}

void resolve_objects(Project *p)
{
    for (int i = 0; i < p->decls.n; i++) {
        Object *o = p->decls.v[i]->object;
        if (!o)
            continue;
        switch (o->kind) {
        case OBJ_TABLE: case OBJ_EXTERNAL:
            resolve_table(p, o);
            break;
        case OBJ_VIEW: case OBJ_MV:
            if (o->state == RS_NONE)
                resolve_query_object(p, o);
            break;
        case OBJ_FUNCTION:
            resolve_function(p, o);
            break;
        default:
            break;
        }
    }
}
