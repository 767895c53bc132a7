/* A view's query as the chain created it: table names it read through
 * the default database of that moment are written out where the view's
 * own database would read them differently; `SELECT *` becomes the
 * columns its source had then (later ADD COLUMNs do not reach a view);
 * and every table it reads is listed in pulls_from. */
#include <string.h>

#include "import/imp.h"

typedef struct Walk {
    Import *im;
    Decl *d;
    const char *db;   /* the default database when the view was created */
    const char *src;  /* the text the query points into */
    LIST_OF(const WithList *) ctes;
    const NameList *stored;  /* the view's columns as the server stored them, or NULL */
} Walk;

static bool listed(const NameList *l, Name n)
{
    for (int i = 0; i < l->n; i++)
        if (name_eq(l->v[i], n))
            return true;
    return false;
}

static void walk_select(Walk *w, Select *q);
static void add_pull(Walk *w, QName full);

/* dictGet('db.d', ...) and its family read the dictionary db.d: a source
 * of the view, when the chain has made it (an unqualified name is looked
 * up by the server at run time, and not followed). */
static void read_dictionary(Walk *w, const Expr *call)
{
    if (call->name.len <= 4 || strncmp(call->name.s, "dict", 4) != 0 || !call->u.call.args.n)
        return;
    const Expr *a = call->u.call.args.v[0];
    if (a->kind != EX_STRING || a->span.len < 2)
        return;
    const char *s = w->src + a->span.off + 1, *dot = memchr(s, '.', a->span.len - 2);
    if (!dot || memchr(s, '\\', a->span.len - 2))
        return;
    QName q = {.db = {.s = s, .len = (uint32_t)(dot - s)},
               .name = {.s = dot + 1, .len = (uint32_t)(s + a->span.len - 2 - dot - 1)}};
    ImpObject *o = object_find(w->im, &q);
    if (o && o->kind == IMP_DICTIONARY)
        add_pull(w, o->name);
}

/* `WITH name AS (SELECT ...)` keeps its name as a column expression
 * (WithItem.name is only `WITH expr AS name`'s). */
static bool is_cte(const Walk *w, const QName *t)
{
    if (t->db.s)
        return false;
    for (int i = 0; i < w->ctes.n; i++)
        for (int k = 0; k < w->ctes.v[i]->n; k++) {
            const WithItem *c = &w->ctes.v[i]->v[k];
            Name n = c->expr && c->expr->kind == EX_COLUMN ? c->expr->name : c->name;
            if (c->query && name_eq(n, t->name))
                return true;
        }
    return false;
}

static void walk_expr(Walk *w, Expr *e)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_SUBQUERY: case EX_EXISTS: walk_select(w, e->u.sub.query); break;
    case EX_CASE:
        walk_expr(w, e->u.kase.operand);
        walk_expr(w, e->u.kase.otherwise);
        for (int i = 0; i < e->u.kase.arms.n; i++)
            walk_expr(w, e->u.kase.arms.v[i]);
        break;
    case EX_CALL:
        read_dictionary(w, e);
        for (int i = 0; i < e->u.call.args.n; i++)
            walk_expr(w, e->u.call.args.v[i]);
        break;
    case EX_ARRAY: case EX_TUPLE: case EX_MAP:
        for (int i = 0; i < e->u.list.items.n; i++)
            walk_expr(w, e->u.list.items.v[i]);
        break;
    case EX_CAST: walk_expr(w, e->u.cast.a); break;
    case EX_UNARY: case EX_BINARY: case EX_BETWEEN: case EX_IS_NULL: case EX_TERNARY: case EX_INTERVAL:
    case EX_LAMBDA: case EX_SUBSCRIPT: case EX_TUPLE_INDEX: case EX_ALIAS: case EX_EXTRACT: case EX_TRIM:
        walk_expr(w, e->u.x.a);
        walk_expr(w, e->u.x.b);
        walk_expr(w, e->u.x.c);
        break;
    default: break;
    }
}

/* A table the query reads: qualified when the view's database would read
 * it elsewhere, and added to pulls_from. */
static void read_table(Walk *w, QName *t)
{
    if (is_cte(w, t))
        return;
    Name own = w->d->name.db;
    if (!t->db.s && !(strlen(w->db) == own.len && strncmp(w->db, own.s, own.len) == 0))
        t->db = object_name(&w->im->arena, w->db);
    QName full = *t;
    if (!full.db.s)
        full.db = own;
    add_pull(w, full);
}

static void add_pull(Walk *w, QName full)
{
    QNameList *l = &w->d->lineage.pulls_from;
    for (int i = 0; i < l->n; i++)
        if (name_eq(l->v[i].db, full.db) && name_eq(l->v[i].name, full.name))
            return;
    *LIST_PUSH(&w->im->arena, l) = full;
}

static ImpObject *source_of(Walk *w, const FromItem *f)
{
    if (f->kind != FROM_TABLE || is_cte(w, &f->table))
        return NULL;
    QName q = f->table;
    if (!q.db.s)
        q.db = w->d->name.db;
    return object_find(w->im, &q);
}

/* SELECT * (or t.*) over one known table or view, EXCEPT honoured. */
static void expand_stars(Walk *w, Select *q)
{
    if (q->from.n != 1 || q->from.v[0]->kind != FROM_TABLE)
        return;
    const FromItem *f = q->from.v[0];
    ImpObject *src = source_of(w, f);
    NameList cols = {0};
    if (!src || !query_star_columns(w->im, src, &cols))
        return;
    /* From a server: its source as it is now, which may have columns the
     * view never had; the view's stored columns say which it has. */
    const NameList *stored = q == w->d->query && !q->next ? w->stored : NULL;
    ExprList items = {0};
    for (int i = 0; i < q->items.n; i++) {
        Expr *e = q->items.v[i];
        NameList qual = e->kind == EX_STAR ? e->u.path.parts : (NameList){0};
        bool mine = e->kind == EX_STAR && (qual.n == 0 || (qual.n == 1 && (name_eq(qual.v[0], f->alias.s ? f->alias : f->table.name))));
        if (!mine) {
            *LIST_PUSH(&w->im->arena, &items) = e;
            continue;
        }
        for (int k = 0; k < cols.n; k++) {
            bool except = false;
            for (int x = 0; x < e->u.path.except.n; x++)
                except |= name_eq(e->u.path.except.v[x], cols.v[k]);
            except |= stored && !listed(stored, cols.v[k]);
            if (except)
                continue;
            NameList path = {0};
            *LIST_PUSH(&w->im->arena, &path) = cols.v[k];
            *LIST_PUSH(&w->im->arena, &items) = ast_column(&w->im->arena, path, e->span);
        }
    }
    q->items = items;
}

static void walk_select(Walk *w, Select *q)
{
    for (; q; q = q->next) {
        *LIST_PUSH(&w->im->arena, &w->ctes) = &q->with;
        for (int i = 0; i < q->with.n; i++) {
            if (q->with.v[i].query)
                walk_select(w, q->with.v[i].query);
            walk_expr(w, q->with.v[i].expr);
        }
        for (int i = 0; i < q->from.n; i++) {
            FromItem *f = q->from.v[i];
            if (f->kind == FROM_TABLE)
                read_table(w, &f->table);
            else if (f->kind == FROM_SUBQUERY)
                walk_select(w, f->query);
            walk_expr(w, f->on);
        }
        expand_stars(w, q);
        for (int i = 0; i < q->items.n; i++)
            walk_expr(w, q->items.v[i]);
        walk_expr(w, q->prewhere);
        walk_expr(w, q->where);
        walk_expr(w, q->having);
        w->ctes.n--;
    }
}

void query_resolve(Import *im, Decl *d, const char *db, const char *src, const NameList *stored)
{
    Walk w = {im, d, db, src, {0}, stored};
    walk_select(&w, d->query);
}

/* How many leading parts of a column path name a FROM item (db.t or t):
 * ClickHouse names the output `t.col` col. */
static int qualifier_parts(const Select *q, const NameList *parts)
{
    for (int i = 0; i < q->from.n; i++) {
        const FromItem *f = q->from.v[i];
        if (parts->n >= 3 && f->kind == FROM_TABLE && f->table.db.s && name_eq(f->table.db, parts->v[0]) &&
            name_eq(f->table.name, parts->v[1]))
            return 2;
        if ((f->alias.s && name_eq(f->alias, parts->v[0])) ||
            (f->kind == FROM_TABLE && name_eq(f->table.name, parts->v[0])))
            return 1;
    }
    return 0;
}

/* The name a select item gets: its alias, or the column it is; a path
 * below a column keeps its dots (`tup.a`, a Nested field `n.a`: chDB
 * 26.5's DESCRIBE of the SELECT). */
static bool item_name(Arena *a, const Select *q, const Expr *e, Name *out)
{
    if (e->kind == EX_ALIAS || (e->kind == EX_COLUMN && e->u.path.parts.n == 1)) {
        *out = e->name;
        return true;
    }
    if (e->kind != EX_COLUMN)
        return false;
    const NameList *parts = &e->u.path.parts;
    int from = qualifier_parts(q, parts);
    if (from >= parts->n - 1) {
        *out = e->name;
        return true;
    }
    size_t len = 0;
    for (int k = from; k < parts->n; k++)
        len += parts->v[k].len + 1;
    char *s = arena_alloc(a, len);
    *out = (Name){.s = s, .span = e->span};
    for (int k = from; k < parts->n; k++) {
        if (k > from)
            s[out->len++] = '.';
        memcpy(s + out->len, parts->v[k].s, parts->v[k].len);
        out->len += parts->v[k].len;
    }
    return true;
}

/* n Nested(a T, b U) is in `*` as its columns n.a and n.b, as the
 * server stores it (flatten_nested, the default): highlight's
 * traces_sampling_new_mv, SELECT * FROM traces into a table declared
 * with `Events.Timestamp` and the others. */
static bool nested_fields(Import *im, const Column *c, NameList *out)
{
    const TypeExpr *t = c->type;
    if (!t || t->name.len != 6 || strncmp(t->name.s, "Nested", 6) != 0 || !t->args.n)
        return false;
    for (int k = 0; k < t->args.n; k++)
        if (t->args.v[k].kind != TARG_FIELD)
            return false; /* not a Nested ClickHouse takes: left as written */
    for (int k = 0; k < t->args.n; k++) {
        Name f = t->args.v[k].field;
        const char *s = arena_printf(&im->arena, "%.*s.%.*s", (int)c->name.len, c->name.s, (int)f.len, f.s);
        *LIST_PUSH(&im->arena, out) = (Name){.s = s, .len = strlen(s), .span = c->name.span};
    }
    return true;
}

bool query_star_columns(Import *im, ImpObject *o, NameList *out)
{
    if (o->kind == IMP_DICTIONARY) {
        for (int i = 0; i < o->decl->columns.n; i++)
            *LIST_PUSH(&im->arena, out) = o->decl->columns.v[i]->name;
        return true;
    }
    if (o->kind == IMP_TABLE) {
        for (int i = 0; i < o->elems.n; i++) {
            const Column *c = o->elems.v[i].node;
            if (o->elems.v[i].what != 0 || (c->mods && c->mods->default_kind > DEF_DEFAULT))
                continue; /* MATERIALIZED, ALIAS and EPHEMERAL are not in `*` */
            if (!nested_fields(im, c, out))
                *LIST_PUSH(&im->arena, out) = c->name;
        }
        return true;
    }
    const Select *q = o->decl->query;
    for (int i = 0; i < q->items.n; i++) {
        Name n;
        if (!item_name(&im->arena, q, q->items.v[i], &n))
            return false;
        *LIST_PUSH(&im->arena, out) = n;
    }
    return true;
}

static bool has_name(Arena *a, const Select *q, Name n)
{
    for (int i = 0; i < q->items.n; i++) {
        Name m;
        if (item_name(a, q, q->items.v[i], &m) && name_eq(m, n))
            return true;
    }
    return false;
}

bool query_list_differs(Arena *a, const Select *q, const NameList *list, Name *odd, bool *in_list)
{
    for (int i = 0; i < q->items.n; i++) {
        Name n;
        if (!item_name(a, q, q->items.v[i], &n))
            return false; /* an output named by its expression: not judged */
        if (!listed(list, n)) {
            *odd = n, *in_list = false;
            return true;
        }
    }
    for (int i = 0; i < list->n; i++)
        if (!has_name(a, q, list->v[i])) {
            *odd = list->v[i], *in_list = true;
            return true;
        }
    return false;
}
