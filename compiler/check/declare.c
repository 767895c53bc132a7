/* Declaration: one Object per table, view, materialized view, external
 * table, function and dropped table, then each view's and MV's lineage
 * names resolved to objects. Checks: duplicate, unknown-object,
 * wrong-kind, and the structural rules of views and MVs. */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "check/passes.h"
#include "typing/signature.h"
#include "typing/promote.h"
#include "typing/typesyntax.h"
#include "project/versions.h"
#include "syntax/suggest.h"

static const char *kind_word(ObjectKind k)
{
    switch (k) {
    case OBJ_TABLE: return "table";
    case OBJ_EXTERNAL: return "external table";
    case OBJ_VIEW: return "view";
    case OBJ_MV: return "materialized view";
    case OBJ_FUNCTION: return "function";
    case OBJ_AGGREGATE: return "aggregate function";
    case OBJ_DROPPED: return "dropped table";
    case OBJ_DICTIONARY: return "dictionary";
    case OBJ_BROKEN: return "object";
    }
    return "object";
}

static const char *with_article(ObjectKind k)
{
    return k == OBJ_EXTERNAL ? "an external table" : k == OBJ_MV ? "a materialized view"
         : k == OBJ_TABLE ? "a table" : k == OBJ_VIEW ? "a view" : k == OBJ_FUNCTION ? "a function"
         : k == OBJ_DICTIONARY ? "a dictionary" : "a dropped table";
}

static ObjectKind kind_of(DeclKind k)
{
    switch (k) {
    case DECL_TABLE: return OBJ_TABLE;
    case DECL_EXTERNAL: return OBJ_EXTERNAL;
    case DECL_VIEW: return OBJ_VIEW;
    case DECL_MV: return OBJ_MV;
    case DECL_FUNCTION: return OBJ_FUNCTION;
    case DECL_AGGREGATE: return OBJ_AGGREGATE;
    case DECL_BROKEN: return OBJ_BROKEN;
    case DECL_DICTIONARY: return OBJ_DICTIONARY;
    default: return OBJ_DROPPED;
    }
}

static void first_here(Project *p, Diag *g, Decl *first)
{
    diag_note(&p->diags, g, first->file, first->name.span, "first declared here");
}

/* A function's attributes: `settings introduced = '21.4', any_case = 1`. */
static const Expr *attribute(const Decl *d, const char *key)
{
    for (int i = 0; i < d->attrs.n; i++)
        if (name_is(d->attrs.v[i].key, key))
            return d->attrs.v[i].value;
    return NULL;
}

static void read_attributes(Decl *d, Object *o)
{
    const Expr *since = attribute(d, "introduced");
    if (!since || since->kind != EX_STRING || since->span.len > 16)
        return;
    /* A bounded copy: sscanf on the source would measure the whole file. */
    char text[17];
    memcpy(text, d->file->text + since->span.off + 1, since->span.len - 2);
    text[since->span.len - 2] = 0;
    sscanf(text, "%d.%d", &o->since_major, &o->since_minor);
}

/* Case-insensitive names (COUNT, Lower) are found through their
 * lower-cased spelling as well. */
static void declare_any_case(Project *p, Object *o)
{
    char *lower = arena_strndup(&p->arena, o->name.s, o->name.len);
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    Object *old = strmap_put(&p->functions_ci, lower, o->name.len, o);
    if (old != o && !old->overload)
        old->overload = o;
}

/* A library declaration of a name the library has declared before, in
 * any case, is an overload: it joins the first declaration's chain. The
 * first one takes what it lacks from the later ones (the version that
 * introduced the function, case-insensitivity): the generated names file
 * and the typed signature files may come in either order. */
static void add_overload(Project *p, Decl *d, Object *head, Object *o)
{
    Object *last = head;
    while (last->overload)
        last = last->overload;
    last->overload = o;
    if (!head->since_major) {
        head->since_major = o->since_major;
        head->since_minor = o->since_minor;
    }
    if (attribute(d, "any_case"))
        declare_any_case(p, head);
}

/* The library may declare a name several times (overloads); a project may
 * not reuse a ClickHouse function's name, which the server would refuse. */
static void declare_function(Project *p, Decl *d, Object *o)
{
    read_attributes(d, o);
    if (d->file->builtin) {
        Object *head = project_function(p, d->name.name);
        if (head && head->decl->file->builtin) {
            add_overload(p, d, head, o);
            return;
        }
    }
    Object *old = strmap_put(&p->functions, d->name.name.s, d->name.name.len, o);
    const Expr *any_case = attribute(d, "any_case");
    if (old == o && any_case && d->file->builtin)
        declare_any_case(p, o);
    if (old != o && old->decl->file->builtin) {
        diag_error(&p->diags, "duplicate", d->file, d->name.span,
                   "'%s' is a ClickHouse function: a project's function cannot take its name", o->qname);
        return;
    }
    if (old != o) {
        Diag *g = diag_error(&p->diags, "duplicate", d->file, d->name.span, "function '%s' is declared twice",
                             o->qname);
        first_here(p, g, old->decl);
        return;
    }
    for (int i = 0; i < d->params.n; i++)
        for (int j = 0; j < i; j++)
            if (name_eq(d->params.v[i].name, d->params.v[j].name))
                diag_error(&p->diags, "duplicate", d->file, d->params.v[i].name.span,
                           "parameter '%s' is declared twice", name_cstr(&p->arena, d->params.v[i].name));
    /* A project's signature is read now, so that its mistakes are reported
     * where it is written (the library's are read when first called). */
    Signature sig;
    if (d->ret) /* an untyped UDF has no signature: calls are typed from its body */
        signature_compile(p, d, &sig, true);
}

/* An object needs a database: its own qualifier or the file's. External
 * tables may live anywhere; managed objects only in declared databases. */
static bool check_database(Project *p, Decl *d, Name db)
{
    if (!db.s) {
        Diag *g = diag_error(&p->diags, "unknown-object", d->file, d->name.span,
                             "'%s' has no database", name_cstr(&p->arena, d->name.name));
        diag_note(&p->diags, g, NULL, (Span){0},
                  "qualify it as db.%s or put 'database NAME;' above it in this file",
                  name_cstr(&p->arena, d->name.name));
        return false;
    }
    if (d->kind == DECL_EXTERNAL || d->kind == DECL_DROP_TABLE || d->kind == DECL_BROKEN ||
        strmap_get(&p->databases, db.s, db.len))
        return true;
    Diag *g = diag_error(&p->diags, "unknown-object", d->file, d->name.db.span,
                         "database '%s' is not declared", name_cstr(&p->arena, db));
    diag_note(&p->diags, g, NULL, (Span){0}, "add 'database %s;' to manage it, or declare '%s' as an external table",
              name_cstr(&p->arena, db), name_cstr(&p->arena, d->name.name));
    return false;
}

static void declare_one(Project *p, Decl *d)
{
    Object *o = arena_zalloc(&p->arena, sizeof(*o));
    o->kind = kind_of(d->kind);
    o->decl = d;
    o->name = d->name.name;
    d->object = o;
    if (o->kind == OBJ_FUNCTION || o->kind == OBJ_AGGREGATE) {
        o->qname = name_cstr(&p->arena, o->name);
        declare_function(p, d, o);
        return;
    }
    o->db = project_db_of(d, &d->name);
    if (!o->db.s && o->kind == OBJ_BROKEN)
        return;
    if (!check_database(p, d, o->db))
        return;
    o->qname = arena_printf(&p->arena, "%.*s.%.*s", (int)o->db.len, o->db.s, (int)o->name.len, o->name.s);
    Object *old = strmap_put(&p->objects, o->qname, strlen(o->qname), o);
    if (old == o) {
        *LIST_PUSH(&p->arena, &p->object_list) = o;
        return;
    }
    if (o->kind == OBJ_BROKEN || old->kind == OBJ_BROKEN) {
        d->object = NULL; /* the syntax error already speaks for it */
        return;
    }
    Diag *g;
    if (old->kind == OBJ_DROPPED && o->kind == OBJ_DROPPED) {
        g = diag_error(&p->diags, "duplicate", d->file, d->name.span, "'%s' is dropped twice", o->qname);
        diag_note(&p->diags, g, old->decl->file, old->decl->name.span, "first dropped here");
    } else if (old->kind == OBJ_DROPPED || o->kind == OBJ_DROPPED) {
        g = diag_error(&p->diags, "duplicate", d->file, d->name.span, "'%s' is both declared and dropped",
                       o->qname);
        diag_note(&p->diags, g, old->decl->file, old->decl->name.span,
                  old->kind == OBJ_DROPPED ? "dropped here" : "declared here");
    } else {
        g = diag_error(&p->diags, "duplicate", d->file, d->name.span, "%s '%s' is already declared as %s",
                       kind_word(o->kind), o->qname, with_article(old->kind));
        first_here(p, g, old->decl);
    }
    d->object = NULL;
}

/* ---- Tables: columns, clauses, modifiers ---- */

static const char *clause_word(ClauseKind k)
{
    static const char *const words[CL_COUNT] = {
        "ENGINE", "PARTITION BY", "ORDER BY", "PRIMARY KEY", "SAMPLE BY", "TTL", "SETTINGS", "COMMENT",
        "SOURCE", "LAYOUT", "LIFETIME", "RANGE", "a dictionary clause",
        "RENAME COLUMN", "DROP COLUMN", "NARROW COLUMN",
    };
    return words[k];
}

/* A declared column's type; `x String NULL` is Nullable(String). Types
 * are read once per spelling and file: most columns share a few. */
static const Type *column_type(Project *p, Decl *d, Column *c)
{
    const Type *t = c->type->resolved;
    if (!t) {
        t = typesyntax_read(p, d->file, c->type, typesyntax_column_span(d->file, c));
        c->type->resolved = t;
    }
    if (t && c->null_mod == 1) {
        /* As for Nullable(...) written out (typesyntax.c); chDB: 43. */
        if (!promote_can_be_nullable_here(p, t)) {
            if (t->kind == TY_LOWCARDINALITY)
                diag_error(&p->diags, "invalid-type", d->file, typesyntax_column_span(d->file, c),
                           "NULL makes %s Nullable, which must go inside LowCardinality: write "
                           "LowCardinality(Nullable(%s)) without NULL", t->name, t->elems[0]->name);
            else
                diag_error(&p->diags, "invalid-type", d->file, typesyntax_column_span(d->file, c),
                           "NULL makes %s Nullable, and %s cannot be inside Nullable", t->name, t->name);
            return NULL;
        }
        t = type_wrap(&p->types, TY_NULLABLE, t);
    }
    return t;
}

/* Two indexes, constraints or projections of one table with one name. */
static void check_extra_names(Project *p, Decl *d)
{
    TableBody *x = d->extras;
    if (!x)
        return;
    NameList names = {0};
    for (int i = 0; i < x->indexes.n; i++)
        *LIST_PUSH(&p->scratch, &names) = x->indexes.v[i]->name;
    for (int i = 0; i < x->constraints.n; i++)
        *LIST_PUSH(&p->scratch, &names) = x->constraints.v[i]->name;
    for (int i = 0; i < x->projections.n; i++)
        *LIST_PUSH(&p->scratch, &names) = x->projections.v[i]->name;
    for (int i = 0; i < names.n; i++)
        for (int j = 0; j < i; j++)
            if (name_eq(names.v[i], names.v[j])) {
                Diag *g = diag_error(&p->diags, "duplicate", d->file, names.v[i].span,
                                     "'%s' names two indexes, constraints or projections of this table",
                                     name_cstr(&p->arena, names.v[i]));
                diag_note(&p->diags, g, d->file, names.v[j].span, "first used here");
                break;
            }
}

/* n Nested(a T, b U) is stored as n.a Array(T) and n.b Array(U): what
 * `SELECT *` gives and what an MV's outputs must be named to fill it
 * (chDB 26.5 refuses an output `n` into such a table, code 8). */
static void push_nested_fields(Project *p, Object *o, Column *c, const Type *t)
{
    for (int k = 0; k < t->n; k++) {
        const char *field = t->names ? t->names[k] : "";
        Name n = {.s = arena_printf(&p->arena, "%.*s.%s", (int)c->name.len, c->name.s, field), .span = c->name.span};
        n.len = strlen(n.s);
        *LIST_PUSH(&p->arena, &o->columns) =
            (OutColumn){.name = n, .origin.decl = c, .from_table = true, .ordinary = true, .nested_field = true,
                        .type = type_wrap(&p->types, TY_ARRAY, t->elems[k])};
    }
}

static void check_table_shape(Project *p, Decl *d, Object *o)
{
    check_extra_names(p, d);
    /* Exactly sized: a 100k-object project has millions of columns (a
     * Nested column's fields grow the list, rare enough). */
    o->columns.v = arena_alloc(&p->arena, sizeof(OutColumn) * (size_t)(d->columns.n + 1));
    o->columns.cap = d->columns.n + 1;
    for (int i = 0; i < d->columns.n; i++) {
        Column *c = d->columns.v[i];
        bool dup = false;
        for (int j = 0; j < i && !dup; j++) {
            if (!name_eq(c->name, d->columns.v[j]->name))
                continue;
            Diag *g = diag_error(&p->diags, "duplicate", d->file, c->name.span, "column '%s' is declared twice",
                                 name_cstr(&p->arena, c->name));
            diag_note(&p->diags, g, d->file, d->columns.v[j]->name.span, "first declared here");
            dup = true;
        }
        if (c->mods && c->mods->dup_mod.len)
            diag_error(&p->diags, "duplicate", d->file, c->mods->dup_mod,
                       "column '%s' has this kind of modifier twice", name_cstr(&p->arena, c->name));
        if (dup)
            continue;
        int kind = c->mods ? c->mods->default_kind : DEF_NONE;
        const Type *t = column_type(p, d, c);
        bool nested = t && t->kind == TY_NESTED;
        *LIST_PUSH(&p->arena, &o->columns) =
            (OutColumn){.name = c->name, .origin.decl = c, .from_table = true, .type = t,
                        .ordinary = !nested && (kind == DEF_NONE || kind == DEF_DEFAULT), .nested_whole = nested};
        if (nested)
            push_nested_fields(p, o, c, t);
    }
    o->columns_known = true;
    const Clause *seen[CL_COUNT] = {0};
    for (int i = 0; i < d->clauses.n; i++) {
        Clause *c = &d->clauses.v[i];
        if (c->kind == CL_COMMENT)
            version_require_feature(p, F_TABLE_COMMENT, d->file, c->span);
        if (c->kind >= CL_RENAME_COLUMN)
            continue; /* one per column: checked by the planner */
        if (seen[c->kind]) {
            Diag *g = diag_error(&p->diags, "duplicate", d->file, c->span, "%s is given twice",
                                 clause_word(c->kind));
            diag_note(&p->diags, g, d->file, seen[c->kind]->span, "first given here");
        } else {
            seen[c->kind] = c;
        }
    }
}

/* ---- Lineage ---- */

/* A name that did not resolve: say what it is instead, or what was
 * probably meant (the same name in another database first). */
void declare_explain_unknown(Project *p, Diag *g, Name name)
{
    for (int i = 0; i < p->object_list.n; i++) {
        Object *o = p->object_list.v[i];
        if (o->kind != OBJ_DROPPED && o->kind != OBJ_BROKEN && name_eq(o->name, name)) {
            diag_note(&p->diags, g, NULL, (Span){0}, "did you mean '%s'?", o->qname);
            return;
        }
    }
    Name *names = arena_alloc(&p->arena, sizeof(Name) * (size_t)(p->object_list.n + 1));
    for (int i = 0; i < p->object_list.n; i++)
        names[i] = p->object_list.v[i]->name;
    int k = suggest_index(name, names, p->object_list.n);
    if (k >= 0)
        diag_note(&p->diags, g, NULL, (Span){0}, "did you mean '%s'?", p->object_list.v[k]->qname);
    else
        diag_note(&p->diags, g, NULL, (Span){0}, "declare it, or as 'external table' if it is managed elsewhere");
}

/* The object a lineage name means; NULL (after a diagnostic) when there
 * is none to read from or write to. */
Object *declare_lookup_source(Project *p, Decl *d, QName *q, const char *role)
{
    Name db = project_db_of(d, q);
    Object *o = project_lookup(p, db, q->name);
    if (o && o->kind == OBJ_BROKEN)
        return NULL; /* its syntax error is reported; nothing to add */
    if (o && o->kind != OBJ_DROPPED)
        return o;
    const char *shown = db.s ? arena_printf(&p->arena, "%.*s.%.*s", (int)db.len, db.s, (int)q->name.len, q->name.s)
                             : name_cstr(&p->arena, q->name);
    if (o) {
        Diag *g = diag_error(&p->diags, "unknown-object", d->file, q->span, "%s '%s' is dropped by this project",
                             role, shown);
        diag_note(&p->diags, g, o->decl->file, o->decl->name.span, "dropped here");
        return NULL;
    }
    Object *fn = q->db.s ? NULL : strmap_get(&p->functions, q->name.s, q->name.len);
    if (fn) {
        diag_error(&p->diags, "wrong-kind", d->file, q->span, "'%s' is a function, not a table or view", fn->qname);
        return NULL;
    }
    Diag *g = diag_error(&p->diags, "unknown-object", d->file, q->span, "%s '%s' is not declared", role, shown);
    declare_explain_unknown(p, g, q->name);
    return NULL;
}

static void resolve_pulls(Project *p, Decl *d, Object *o)
{
    QNameList *l = &d->lineage.pulls_from;
    for (int i = 0; i < l->n; i++) {
        Object *src = declare_lookup_source(p, d, &l->v[i], "source");
        for (int j = 0; j < i && src; j++) {
            if (o->pulls.v[j] != src)
                continue;
            diag_error(&p->diags, "duplicate", d->file, l->v[i].span, "'%s' is listed twice in pulls_from",
                       src->qname);
            src = NULL;
        }
        if (src && src->kind == OBJ_MV) {
            Diag *g = diag_error(&p->diags, "wrong-kind", d->file, l->v[i].span,
                                 "'%s' is a materialized view: it holds no rows to pull from", src->qname);
            declare_explain_mv_target(p, g, src, "pull from");
            src = NULL;
        }
        *LIST_PUSH(&p->arena, &o->pulls) = src;
    }
}

/* ---- Distributed and Merge: the tables under them ---- */

/* An engine argument naming a database or table: `name`, 'name', or
 * currentDatabase() (the table's own database). Empty when not a name. */
static Name engine_arg_name(Project *p, const Decl *d, const Expr *e, Name own_db)
{
    if (e && e->kind == EX_COLUMN && e->u.path.parts.n == 1)
        return e->u.path.parts.v[0];
    if (e && e->kind == EX_CALL && name_is(e->name, "currentDatabase") && !e->u.call.args.n)
        return own_db;
    if (!e || e->kind != EX_STRING || e->span.len < 2)
        return (Name){0};
    const char *s = d->file->text + e->span.off;
    char *out = arena_alloc(&p->arena, e->span.len);
    uint32_t k = 0;
    for (uint32_t i = 1; i + 1 < e->span.len; i++) {
        if ((s[i] == '\\' || (s[i] == '\'' && s[i + 1] == '\'')) && i + 2 < e->span.len)
            i++;
        out[k++] = s[i];
    }
    out[k] = 0;
    return (Name){.s = out, .len = k, .span = e->span};
}

/* A Distributed table reads its local table on every shard, a Merge table
 * every table of its database whose name matches its regexp: both are
 * their lineage (pulls), so the graph shows them and the plan creates
 * them first. Only what the project declares is linked; nothing is
 * reported (ClickHouse accepts a Distributed table over a table that does
 * not exist yet). */
static void resolve_underlying(Project *p, Decl *d, Object *o)
{
    const Clause *eng = NULL;
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == CL_ENGINE)
            eng = &d->clauses.v[i];
    if (!eng)
        return;
    const ExprList *a = &eng->args;
    if (name_is(eng->engine, "Distributed") && a->n >= 3) {
        Name db = engine_arg_name(p, d, a->v[1], o->db), table = engine_arg_name(p, d, a->v[2], o->db);
        Object *u = db.s && table.s ? project_lookup(p, db.len ? db : o->db, table) : NULL;
        if (u && u != o && (u->kind == OBJ_TABLE || u->kind == OBJ_VIEW))
            *LIST_PUSH(&p->arena, &o->pulls) = u;
        return;
    }
    if (!name_is(eng->engine, "Merge") || a->n != 2)
        return;
    Name db = engine_arg_name(p, d, a->v[0], o->db), re = engine_arg_name(p, d, a->v[1], o->db);
    regex_t rx;
    if (!db.s || !re.s || a->v[1]->kind != EX_STRING ||
        regcomp(&rx, name_cstr(&p->scratch, re), REG_EXTENDED | REG_NOSUB) != 0)
        return;
    for (int i = 0; i < p->decls.n; i++) {
        Object *u = p->decls.v[i]->object;
        if (!u || u == o || (u->kind != OBJ_TABLE && u->kind != OBJ_VIEW) || u->db.len != db.len ||
            memcmp(u->db.s, db.s, db.len) != 0)
            continue;
        if (regexec(&rx, name_cstr(&p->scratch, u->name), 0, NULL, 0) == 0)
            *LIST_PUSH(&p->arena, &o->pulls) = u;
    }
    regfree(&rx);
}

/* `table x as y`: y is x's lineage (the plan creates y first: x reads as
 * a copy of it), though x's CREATE lists its own columns. */
static void link_copied(Project *p, Decl *d, Object *o)
{
    Object *u = project_lookup(p, project_db_of(d, &d->as_table), d->as_table.name);
    for (int i = 0; i < o->pulls.n; i++)
        if (o->pulls.v[i] == u)
            u = NULL; /* a Distributed table over it has it already */
    if (u && u != o && (u->kind == OBJ_TABLE || u->kind == OBJ_EXTERNAL)) {
        *LIST_PUSH(&p->arena, &o->pulls) = u;
        *LIST_PUSH(&p->arena, &o->reads) = u;
    }
}

static void resolve_target(Project *p, Decl *d, Object *o)
{
    QNameList *l = &d->lineage.pushes_to;
    if (l->n != 1)
        return;
    Object *t = declare_lookup_source(p, d, &l->v[0], "target");
    if (t && t->kind != OBJ_TABLE && t->kind != OBJ_EXTERNAL) {
        diag_error(&p->diags, "wrong-kind", d->file, l->v[0].span,
                   "'%s' is a %s: a materialized view can only push to a table", t->qname, kind_word(t->kind));
        t = NULL;
    }
    o->target = t;
}

/* "pull from its target table 'db.t' instead", named as resolved. */
void declare_explain_mv_target(Project *p, Diag *g, Object *mv, const char *verb)
{
    QNameList *t = &mv->decl->lineage.pushes_to;
    if (t->n != 1)
        return;
    Name db = project_db_of(mv->decl, &t->v[0]);
    diag_note(&p->diags, g, NULL, (Span){0}, "%s its target table '%.*s.%.*s' instead", verb, (int)db.len, db.s,
              (int)t->v[0].name.len, t->v[0].name.s);
}

/* A view reads; an MV reads and writes into a table it names. Anything
 * else is refused with the fix spelled out. */
static void check_lineage_shape(Project *p, Decl *d)
{
    Lineage *l = &d->lineage;
    const char *what = d->kind == DECL_VIEW ? "view" : "materialized view";
    if (l->pulls_from.n == 0) {
        Diag *g = diag_error(&p->diags, "syntax", d->file, d->name.span, "%s '%.*s' needs pulls_from", what,
                             (int)d->name.name.len, d->name.name.s);
        diag_note(&p->diags, g, NULL, (Span){0}, "list the objects its SELECT reads: pulls_from a, b");
    }
    if (d->kind == DECL_VIEW && l->npushes_clauses) {
        Diag *g = diag_error(&p->diags, "syntax", d->file, l->pushes_kw, "a view does not push rows anywhere");
        diag_note(&p->diags, g, NULL, (Span){0}, "did you mean 'materialized view'?");
    }
    if (d->kind == DECL_MV && l->pushes_to.n == 0) {
        Diag *g = diag_error(&p->diags, "syntax", d->file, d->name.span,
                             "materialized view '%.*s' needs pushes_to", (int)d->name.name.len, d->name.name.s);
        diag_note(&p->diags, g, NULL, (Span){0},
                  "declare a target table and add 'pushes_to TABLE': an implicit inner table hides its data "
                  "and breaks on rename");
    }
    if (d->kind == DECL_MV && d->refresh.present)
        version_require_feature(p, F_REFRESHABLE_MV, d->file, d->refresh.span);
    if (d->kind == DECL_MV && d->clauses.n) {
        Diag *g = diag_error(&p->diags, "syntax", d->file, d->clauses.v[0].span,
                             "a materialized view takes no table clauses");
        diag_note(&p->diags, g, NULL, (Span){0},
                  "ENGINE, ORDER BY and the like would create a hidden inner table: declare the table "
                  "yourself and name it with 'pushes_to'");
    }
    if (d->kind == DECL_MV && l->pushes_to.n > 1)
        diag_error(&p->diags, "syntax", d->file, l->pushes_to.v[1].span,
                   "a materialized view pushes to exactly one table");
}

/* An MV's own column list (`materialized view m (a T, ...)`): its types
 * read like a table's (an unknown one is refused, chDB 26.5: 50) and no
 * name twice (44). Nothing else is checked: the server takes a list that
 * names other columns than the query outputs, and the rows the MV writes
 * are its query's whatever the list says (chDB 26.5 and 18.16: a listed
 * type converts nothing, an output the list lacks still arrives). */
static void check_mv_columns(Project *p, Decl *d)
{
    for (int i = 0; i < d->columns.n; i++) {
        Column *c = d->columns.v[i];
        for (int j = 0; j < i; j++) {
            if (!name_eq(c->name, d->columns.v[j]->name))
                continue;
            Diag *g = diag_error(&p->diags, "duplicate", d->file, c->name.span,
                                 "column '%s' is listed twice", name_cstr(&p->arena, c->name));
            diag_note(&p->diags, g, d->file, d->columns.v[j]->name.span, "first listed here");
            break;
        }
        column_type(p, d, c);
    }
}

/* A name's length as a file name (escapeForFileName: bytes other than
 * [A-Za-z0-9_] as %XX). */
static size_t file_name_length(Name n)
{
    size_t len = 0;
    for (uint32_t i = 0; i < n.len; i++)
        len += isalnum((unsigned char)n.s[i]) || n.s[i] == '_' ? 1 : 3;
    return len;
}

/* The longest name a version's server takes, as a file name, and whether
 * that was verified (an error) or is known from ClickHouse's history only
 * (a warning). 0: no limit known.
 *   18.16 writes metadata/<db>/<name>.sql.tmp: past 247 CREATE fails
 *     ("Cannot open file", code 76; tried). Ordinary databases, the
 *     default until 20.10, write the same file: 247 there too (not tried).
 *   Atomic databases (20.10 on) take such a name, but DROP TABLE renames
 *     its metadata to metadata_dropped/<db>.<name>.<uuid>.sql, which fails
 *     past 213 - the database's name (ClickHouse issue 64861, on 24.2).
 *   From 24.10 (pull request 70810) CREATE refuses it with code 69 (tried
 *     on 26.5: 210 in database `web`, escaped bytes counted), also below
 *     242 (metadata's <name>.sql.detached). */
static size_t max_file_name(const Project *p, const Decl *d, bool database, bool *verified)
{
    int v = p->options.version_major * 100 + p->options.version_minor;
    *verified = v < 1900 || v >= 2501;
    if (v < 2010)
        return 247;
    if (database)
        return 0;
    size_t db = file_name_length(d->name.db.len ? d->name.db : d->default_db);
    size_t limit = db < 213 ? 213 - db : 0;
    return limit < 242 ? limit : 242;
}

static void check_name_length(Project *p, Decl *d)
{
    bool database = d->kind == DECL_DATABASE;
    if (!database && d->kind != DECL_TABLE && d->kind != DECL_VIEW && d->kind != DECL_MV &&
        d->kind != DECL_DICTIONARY)
        return;
    bool verified;
    Name n = d->name.name;
    size_t limit = max_file_name(p, d, database, &verified), len = file_name_length(n);
    if (!limit || len <= limit)
        return;
    int v = p->options.version_major * 100 + p->options.version_minor;
    bool drop_only = v >= 2010 && v < 2410 && !database;
    const char *what = verified ? "stores at most" : drop_only ? "creates it, but cannot drop a table past"
                                                               : "likely stores at most";
    Diag *g = verified ? diag_error(&p->diags, "name-length", d->file, n.span,
                                    "this name is %zu bytes as a file name; ClickHouse %d.%d %s %zu here", len,
                                    p->options.version_major, p->options.version_minor, what, limit)
                       : diag_warning(&p->diags, "name-length", d->file, n.span,
                                      "this name is %zu bytes as a file name; ClickHouse %d.%d %s %zu here", len,
                                      p->options.version_major, p->options.version_minor, what, limit);
    diag_note(&p->diags, g, NULL, (Span){0}, "ClickHouse names a %s's files after it (bytes other than letters, digits "
              "and '_' take 3%s): choose a shorter name", database ? "database" : "table",
              database || v < 2010 ? "" : ", and the database's name counts too");
    if (!verified)
        diag_note(&p->diags, g, NULL, (Span){0}, v < 2010 ? "a warning: the limit is 18.16's (tried), not tried on this version"
                  : drop_only ? "a warning: DROP TABLE fails with 'File name too long' (ClickHouse issue 64861, on 24.2)"
                             : "a warning: CREATE refuses it from about 24.10 on (ClickHouse pull request 70810); tried on 26.5 only");
}

void declare_objects(Project *p)
{
    strmap_reserve(&p->objects, (size_t)p->decls.n);
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        check_name_length(p, d);
        if (d->kind != DECL_OPTION && d->kind != DECL_DATABASE)
            declare_one(p, d);
    }
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        Object *o = d->object;
        if (!o)
            continue;
        if (o->kind == OBJ_TABLE || o->kind == OBJ_EXTERNAL || o->kind == OBJ_DICTIONARY)
            check_table_shape(p, d, o);
        if (o->kind == OBJ_DICTIONARY)
            dictionary_check(p, d, o);
        /* Only a function with a body is created by the plan; older
         * servers have no CREATE FUNCTION (18.16 refuses it, code 62). */
        if (d->kind == DECL_FUNCTION && d->body)
            version_require_feature(p, F_SQL_FUNCTIONS, d->file, d->name.span);
        if (o->kind == OBJ_TABLE)
            resolve_underlying(p, d, o);
        if (o->kind == OBJ_TABLE && d->as_table.name.s)
            link_copied(p, d, o);
        if (o->kind == OBJ_VIEW || o->kind == OBJ_MV) {
            check_lineage_shape(p, d);
            check_mv_columns(p, d);
            resolve_pulls(p, d, o);
            resolve_target(p, d, o);
        }
    }
}
