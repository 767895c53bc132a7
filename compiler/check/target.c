/* An MV inserts its SELECT's outputs into its target table by name.
 * target-column-missing: an output the target does not have (servers
 * before 25.4 drop it silently, later ones refuse the MV; 18.16 fails
 * every insert), or one the target computes itself (MATERIALIZED, ALIAS).
 * target-column-unfilled: a target column no output fills; it gets its
 * default, and a column without one gets zero or empty (a warning). On
 * 18.16 an MV must fill every column but MATERIALIZED ones: an error.
 * type-mismatch: an output whose type its column cannot take on the
 * version of option clickhouse (convert.c has the rules). */
#include <string.h>

#include "typing/convert.h"
#include "check/passes.h"
#include "typing/typesyntax.h"
#include "project/versions.h"
#include "syntax/suggest.h"

/* A column of l named n. A whole Nested column is none: an insert
 * writes its fields n.a, and ClickHouse refuses or drops an output n. */
static const OutColumn *find(const OutColumnList *l, Name n)
{
    for (int i = 0; i < l->n; i++)
        if (!l->v[i].nested_whole && name_eq(l->v[i].name, n))
            return &l->v[i];
    return NULL;
}

/* The field columns of t's Nested column n, listed; NULL when n is none. */
static const char *nested_fields(Project *p, const Object *t, Name n)
{
    const Column *whole = NULL;
    for (int i = 0; i < t->columns.n && !whole; i++)
        if (t->columns.v[i].nested_whole && name_eq(t->columns.v[i].name, n))
            whole = t->columns.v[i].origin.decl;
    if (!whole)
        return NULL;
    const char *list = "";
    for (int i = 0; i < t->columns.n; i++)
        if (t->columns.v[i].nested_field && t->columns.v[i].origin.decl == whole)
            list = arena_printf(&p->scratch, "%s%s'%.*s'", list, *list ? ", " : "", (int)t->columns.v[i].name.len,
                                t->columns.v[i].name.s);
    return list;
}

static Span output_span(const Object *mv, const OutColumn *out)
{
    const Expr *e = out->origin.expr;
    if (!e)
        return mv->decl->name.span;
    return e->kind == EX_ALIAS ? e->name.span : e->span;
}

static int default_kind(const OutColumn *c)
{
    return c->origin.decl && c->origin.decl->mods ? c->origin.decl->mods->default_kind : DEF_NONE;
}

/* A number written in the query: servers cast its value, not its type. */
static bool is_literal(const Expr *e)
{
    while (e && e->kind == EX_ALIAS)
        e = e->u.x.a;
    if (e && e->kind == EX_UNARY && e->op == OP_NEG)
        e = e->u.x.a;
    return e && (e->kind == EX_INTEGER || e->kind == EX_FLOAT || e->kind == EX_STRING);
}

/* Whether the column x of a WHERE names the select item `item`: a
 * one-part name that is some item's alias is that item (ClickHouse reads
 * an alias before a column of the same name); else x must be the column
 * the item is. */
static bool names_item(const Select *q, const Expr *x, const Expr *item)
{
    if (x->kind != EX_COLUMN)
        return false;
    if (x->u.path.parts.n == 1)
        for (int i = 0; i < q->items.n; i++) {
            const Expr *e = q->items.v[i];
            if (e->kind == EX_ALIAS && name_eq(e->name, x->name))
                return e == item;
        }
    return ast_same_column(x, ast_unalias(item));
}

/* `x IS NOT NULL` or isNotNull(x), alone or ANDed with other conditions:
 * no row where x is NULL passes. */
static bool filters_nulls(const Select *q, const Expr *cond, const Expr *item)
{
    if (!cond)
        return false;
    if (cond->kind == EX_BINARY && cond->op == OP_AND)
        return filters_nulls(q, cond->u.x.a, item) || filters_nulls(q, cond->u.x.b, item);
    const Expr *x = ast_not_null_operand(cond);
    return x && names_item(q, x, item);
}

/* Whether the select item reads a column as stored, through select and
 * WITH expression aliases only (`WITH min_ts AS ts SELECT ts AS max_ts`):
 * no function makes its value. */
static bool reads_stored_column(const Select *q, const Expr *item)
{
    const Expr *e = ast_unalias(item);
    for (int hops = 0; e && e->kind == EX_COLUMN && hops < 8; hops++) {
        const Expr *next = NULL;
        for (int i = 0; e->u.path.parts.n == 1 && i < q->with.n; i++)
            if (q->with.v[i].expr && name_eq(q->with.v[i].name, e->name))
                next = ast_unalias(q->with.v[i].expr);
        if (!next)
            return true;
        e = next;
    }
    return false;
}

/* A Nullable output that the MV's WHERE keeps free of NULLs, or that
 * cannot hold one (infer_never_null: ClickHouse types `if(x IS NOT NULL,
 * [x], [])` Array(Nullable(String)), PostHog's session rollup writes its
 * urls so; `ts + toIntervalDay(if(d IS NOT NULL, d, 15))` is Nullable,
 * PostHog's logs expiry), goes into a plain column: the server converts
 * each value, and only a NULL fails (349). Judged as the type without
 * Nullable; not on 18.16, where the types themselves must match (53). */
static const Type *output_type(Project *p, const Object *mv, const OutColumn *out)
{
    const Select *q = mv->decl->query;
    const Expr *item = out->origin.expr;
    /* A SimpleAggregateFunction column read as it is: the MV sees the rows
     * of an insert, each value as inserted, whatever the source's merges
     * do later; its column's function is not the query's (PostHog's
     * raw_sessions_v3_recordings_mv reads a min column into a max one,
     * and chDB merges the values with max). A -SimpleState the query
     * computes stays judged by its function. */
    if (out->type && out->type->kind == TY_SIMPLE_AGGREGATE && item && q && !q->next &&
        reads_stored_column(q, item))
        return out->type->elems[0];
    if (out->type && item && version_is_after_18_16(&p->options) && out->never_null)
        return type_strip_nullable(&p->types, out->type);
    if (!out->type || out->type->kind != TY_NULLABLE || !q || q->next || !item ||
        !version_is_after_18_16(&p->options))
        return out->type;
    bool listed = false;
    for (int i = 0; i < q->items.n; i++)
        listed |= q->items.v[i] == item;
    if (listed && (filters_nulls(q, q->where, item) || filters_nulls(q, q->prewhere, item)))
        return out->type->elems[0];
    return out->type;
}

/* type-mismatch: the output's type against its column's (convert.c). An
 * output whose type is not known is not judged. */
static void check_type(Project *p, Object *mv, Object *t, const OutColumn *out, const OutColumn *col)
{
    Fit f = convert_fit(p, output_type(p, mv, out), col->type, is_literal(out->origin.expr));
    if (f.kind == FIT_OK)
        return;
    Span at = output_span(mv, out);
    const char *fmt = "'%.*s' is %s but '%s.%.*s' is %s: %s";
    Diag *g = f.kind == FIT_ERROR
                  ? diag_error(&p->diags, "type-mismatch", mv->decl->file, at, fmt, (int)out->name.len,
                               out->name.s, out->type->name, t->qname, (int)col->name.len, col->name.s,
                               col->type->name, f.why)
                  : diag_warning(&p->diags, "type-mismatch", mv->decl->file, at, fmt, (int)out->name.len,
                                 out->name.s, out->type->name, t->qname, (int)col->name.len, col->name.s,
                                 col->type->name, f.why);
    if (col->origin.decl)
        diag_note(&p->diags, g, t->decl->file, typesyntax_column_span(t->decl->file, col->origin.decl),
                  "the column is declared here");
    if (f.hint)
        diag_note(&p->diags, g, NULL, (Span){0}, "%s", f.hint);
}

static void check_outputs(Project *p, Object *mv, Object *t)
{
    for (int i = 0; i < mv->columns.n; i++) {
        const OutColumn *out = &mv->columns.v[i];
        const OutColumn *col = find(&t->columns, out->name);
        Span at = output_span(mv, out);
        if (!col) {
            Diag *g = diag_error(&p->diags, "target-column-missing", mv->decl->file, at,
                                 "'%s' has no column '%.*s': ClickHouse would drop this output", t->qname,
                                 (int)out->name.len, out->name.s);
            const char *fields = nested_fields(p, t, out->name);
            if (fields) {
                diag_note(&p->diags, g, NULL, (Span){0},
                          "the table stores the Nested column '%.*s' as one column per field: output %s",
                          (int)out->name.len, out->name.s, fields);
                continue;
            }
            NameList names = {0};
            for (int k = 0; k < t->columns.n; k++)
                if (!t->columns.v[k].nested_whole && !find(&mv->columns, t->columns.v[k].name))
                    *LIST_PUSH(&p->scratch, &names) = t->columns.v[k].name;
            int k = suggest_index(out->name, names.v, names.n);
            if (k >= 0)
                diag_note(&p->diags, g, NULL, (Span){0}, "did you mean '%.*s'?", (int)names.v[k].len, names.v[k].s);
            continue;
        }
        int kind = default_kind(col);
        if (kind == DEF_MATERIALIZED || kind == DEF_ALIAS)
            diag_error(&p->diags, "target-column-missing", mv->decl->file, at,
                       "'%s.%.*s' is %s: the table computes it, an insert cannot write it", t->qname,
                       (int)out->name.len, out->name.s, kind == DEF_ALIAS ? "an ALIAS column" : "MATERIALIZED");
        else
            check_type(p, mv, t, out, col);
    }
}

static void check_unfilled(Project *p, Object *mv, Object *t)
{
    bool strict = !version_is_after_18_16(&p->options);
    for (int i = 0; i < t->columns.n; i++) {
        const OutColumn *col = &t->columns.v[i];
        if (col->nested_whole || find(&mv->columns, col->name))
            continue;
        int kind = default_kind(col);
        if (kind == DEF_MATERIALIZED || kind == DEF_ALIAS || kind == DEF_EPHEMERAL)
            continue;
        if (strict) {
            diag_error(&p->diags, "target-column-unfilled", mv->decl->file, mv->decl->lineage.pushes_to.v[0].span,
                       "the query does not fill '%.*s' of '%s': ClickHouse 18.16 fails every insert unless an MV "
                       "fills each column",
                       (int)col->name.len, col->name.s, t->qname);
        } else if (kind == DEF_NONE) {
            Diag *g = diag_warning(&p->diags, "target-column-unfilled", mv->decl->file,
                                   mv->decl->lineage.pushes_to.v[0].span,
                                   "the query does not fill '%.*s' of '%s', which has no default", (int)col->name.len,
                                   col->name.s, t->qname);
            diag_note(&p->diags, g, NULL, (Span){0}, "rows will get zero or empty there; fill it or give it a default");
        }
    }
}

void check_targets(Project *p)
{
    for (int i = 0; i < p->object_list.n; i++) {
        Object *mv = p->object_list.v[i];
        if (mv->kind != OBJ_MV || !mv->target || !mv->columns_known || !mv->target->columns_known)
            continue;
        ArenaMark mark = arena_mark(&p->scratch);
        check_outputs(p, mv, mv->target);
        check_unfilled(p, mv, mv->target);
        arena_release(&p->scratch, mark);
    }
}
