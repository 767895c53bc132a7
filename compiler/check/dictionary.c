/* Dictionaries: the shape of a `dictionary` declaration, the table it
 * loads from (its lineage), and the dictGet family of calls, which name a
 * dictionary and one of its attributes in string literals.
 *
 * What ClickHouse refuses was tried on chDB 26.5: a dictionary without
 * PRIMARY KEY, SOURCE, LAYOUT or LIFETIME, or with a key that is not one
 * of its columns, is refused at CREATE (489); a view or MV whose dictGet
 * names a dictionary that does not exist, or an attribute it does not
 * have, is refused at CREATE (36). */
#include <string.h>
#include <strings.h>

#include "check/passes.h"
#include "project/versions.h"
#include "syntax/suggest.h"

/* ---- The declaration ---- */

static bool is_dictionary_clause(int kind)
{
    return kind == CL_SOURCE || kind == CL_LAYOUT || kind == CL_LIFETIME || kind == CL_RANGE ||
           kind == CL_DICT_OTHER;
}

static const Clause *clause_of(const Decl *d, int kind)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == kind)
            return &d->clauses.v[i];
    return NULL;
}

static void require_clause(Project *p, Decl *d, int kind, const char *word, const char *example)
{
    if (clause_of(d, kind))
        return;
    Diag *g = diag_error(&p->diags, "syntax", d->file, d->name.span, "dictionary '%s' has no %s",
                         name_cstr(&p->arena, d->name.name), word);
    diag_note(&p->diags, g, NULL, (Span){0}, "ClickHouse refuses a dictionary without it (489): add %s", example);
}

static void check_attributes(Project *p, Decl *d)
{
    for (int i = 0; i < d->columns.n; i++) {
        const ColumnMods *m = d->columns.v[i]->mods;
        if (m && m->bad_flag.len) {
            Diag *g = diag_error(&p->diags, "syntax", d->file, m->bad_flag, "'%.*s' is not an attribute flag",
                                 (int)m->bad_flag.len, d->file->text + m->bad_flag.off);
            diag_note(&p->diags, g, NULL, (Span){0},
                      "an attribute takes default EXPR, expression EXPR, hierarchical, injective, is_object_id");
        }
    }
}

static bool has_column(const Decl *d, Name n)
{
    for (int i = 0; i < d->columns.n; i++)
        if (name_eq(d->columns.v[i]->name, n))
            return true;
    return false;
}

/* The key names columns of the dictionary (489 otherwise). */
static void check_key(Project *p, Decl *d, const Clause *key)
{
    ExprList one = {0};
    const ExprList *l = &key->args;
    if (key->expr) {
        one = (ExprList){(Expr **)&key->expr, 1, 1};
        l = &one;
    }
    for (int i = 0; i < l->n; i++) {
        const Expr *e = l->v[i];
        if (e->kind != EX_COLUMN || e->u.path.parts.n != 1) {
            diag_error(&p->diags, "syntax", d->file, e->span, "a dictionary's PRIMARY KEY lists its key columns");
            continue;
        }
        if (!has_column(d, e->name))
            diag_error(&p->diags, "unknown-column", d->file, e->span,
                       "the key '%s' is not a column of this dictionary (ClickHouse: 489)",
                       name_cstr(&p->arena, e->name));
    }
}

static void check_clauses(Project *p, Decl *d)
{
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *c = &d->clauses.v[i];
        const char *why = NULL;
        if (c->kind == CL_DICT_OTHER)
            why = "a dictionary's clauses are PRIMARY KEY, SOURCE(...), LAYOUT(...), LIFETIME(...), RANGE(...), "
                  "SETTINGS(...) and COMMENT";
        else if (c->kind == CL_SETTINGS && !c->engine_parens)
            why = "a dictionary's settings are written in parentheses: settings(name = value, ...)";
        else if (!is_dictionary_clause(c->kind) && c->kind != CL_PRIMARY_KEY && c->kind != CL_SETTINGS &&
                 c->kind != CL_COMMENT)
            why = "a dictionary has no engine, keys or TTL: it is loaded from its SOURCE";
        if (why) {
            Diag *g = diag_error(&p->diags, "syntax", d->file, c->span, "a dictionary takes no such clause");
            diag_note(&p->diags, g, NULL, (Span){0}, "%s", why);
        }
    }
    const Clause *key = clause_of(d, CL_PRIMARY_KEY);
    if (key)
        check_key(p, d, key);
    require_clause(p, d, CL_PRIMARY_KEY, "PRIMARY KEY", "primary key COLUMN");
    require_clause(p, d, CL_SOURCE, "SOURCE", "source(clickhouse(table 'NAME' db 'DB'))");
    require_clause(p, d, CL_LAYOUT, "LAYOUT", "layout(hashed())");
    require_clause(p, d, CL_LIFETIME, "LIFETIME", "lifetime(min 0 max 300)");
}

/* The value of KEY in a clause's arguments, unquoted; empty when absent. */
static Name arg_value(Project *p, const Decl *d, const DictArgList *l, const char *key)
{
    for (int i = 0; l && i < l->n; i++) {
        const DictArg *a = &l->v[i];
        if (a->key.len != strlen(key) || strncasecmp(a->key.s, key, a->key.len) != 0)
            continue;
        if (a->word.len)
            return a->word;
        if (a->lit.len >= 2 && d->file->text[a->lit.off] == '\'')
            return (Name){.s = arena_strndup(&p->arena, d->file->text + a->lit.off + 1, a->lit.len - 2),
                          .len = a->lit.len - 2, .span = a->lit};
    }
    return (Name){0};
}

/* SOURCE(CLICKHOUSE(TABLE 't' [DB 'db'])) on this server (no HOST, or a
 * local one): the dictionary loads from that table, which is its lineage
 * (the plan creates it first and drops it after; 26.5 refuses to drop a
 * table a dictionary loads from, 630). DB defaults to the dictionary's own
 * database. A table the project does not declare is not reported:
 * ClickHouse creates the dictionary and fails only when loading it. */
static void resolve_source(Project *p, Decl *d, Object *o)
{
    const Clause *src = clause_of(d, CL_SOURCE);
    if (!src || src->dargs.n != 1 || !src->dargs.v[0].args)
        return;
    Name kind = src->dargs.v[0].key;
    if (kind.len != 10 || strncasecmp(kind.s, "CLICKHOUSE", 10) != 0)
        return;
    const DictArgList *args = src->dargs.v[0].args;
    Name host = arg_value(p, d, args, "HOST");
    if (host.len && strcasecmp(name_cstr(&p->scratch, host), "localhost") != 0 && !name_is(host, "127.0.0.1"))
        return;
    Name table = arg_value(p, d, args, "TABLE"), db = arg_value(p, d, args, "DB");
    if (!table.len)
        return;
    Object *u = project_lookup(p, db.len ? db : o->db, table);
    if (u && u != o && (u->kind == OBJ_TABLE || u->kind == OBJ_EXTERNAL || u->kind == OBJ_VIEW ||
                        u->kind == OBJ_DICTIONARY)) {
        *LIST_PUSH(&p->arena, &o->pulls) = u;
        *LIST_PUSH(&p->arena, &o->reads) = u; /* what orders the plan */
    }
}

void dictionary_check(Project *p, Decl *d, Object *o)
{
    version_require_feature(p, F_DICTIONARY, d->file, d->name.span);
    check_attributes(p, d);
    check_clauses(p, d);
    resolve_source(p, d, o);
}

/* ---- dictGet and its family ---- */

/* dictGet('db.d', 'attr', key), dictHas('db.d', key), ...: every function
 * whose name starts with `dict` takes the dictionary's name first. */
bool dictionary_is_lookup(const Expr *call)
{
    return call->kind == EX_CALL && call->name.len > 4 && strncmp(call->name.s, "dict", 4) == 0 &&
           call->u.call.args.n >= 1 && !(call->flags & EF_PARAMETRIC);
}

/* The text of a plain string literal, or NULL (escapes are not undone:
 * such a name is not looked up). */
static const char *literal_text(Arena *a, const char *src, const Expr *e)
{
    if (!e || e->kind != EX_STRING || e->span.len < 2 || src[e->span.off] != '\'')
        return NULL;
    const char *s = src + e->span.off + 1;
    uint32_t n = e->span.len - 2;
    if (memchr(s, '\\', n) || memchr(s, '\'', n) || memchr(s, '`', n))
        return NULL;
    return arena_strndup(a, s, n);
}

DictRef dictionary_ref(Project *p, const Expr *call, const char *src)
{
    DictRef r = {0};
    const char *text = literal_text(&p->scratch, src, call->u.call.args.v[0]);
    if (!text)
        return r;
    r.named = true;
    r.at = call->u.call.args.v[0]->span;
    const char *dot = strchr(text, '.');
    if (!dot) {
        r.unqualified = true;
        r.name = (Name){.s = text, .len = (uint32_t)strlen(text)};
        return r;
    }
    r.db = (Name){.s = text, .len = (uint32_t)(dot - text)};
    r.name = (Name){.s = dot + 1, .len = (uint32_t)strlen(dot + 1)};
    r.object = project_lookup(p, r.db, r.name);
    return r;
}

bool dictionary_attribute_arg(const Expr *call)
{
    Name n = call->name;
    return !(name_is(n, "dictHas") || name_is(n, "dictIsIn") || name_is(n, "dictGetHierarchy") ||
             name_is(n, "dictGetChildren") || name_is(n, "dictGetDescendants")) &&
           call->u.call.args.n >= 2;
}

const OutColumn *dictionary_attribute(const Object *dict, Name attr)
{
    for (int i = 0; i < dict->columns.n; i++)
        if (name_eq(dict->columns.v[i].name, attr))
            return &dict->columns.v[i];
    return NULL;
}

/* The key columns are not attributes: dictGet of one is refused (36). */
bool dictionary_is_key(const Object *dict, Name col)
{
    const Clause *key = clause_of(dict->decl, CL_PRIMARY_KEY);
    if (!key)
        return false;
    if (key->expr)
        return key->expr->kind == EX_COLUMN && name_eq(key->expr->name, col);
    for (int i = 0; i < key->args.n; i++)
        if (key->args.v[i]->kind == EX_COLUMN && name_eq(key->args.v[i]->name, col))
            return true;
    return false;
}

/* The attribute a call reads, as a literal's text; empty when not one. */
Name dictionary_attribute_name(Project *p, const Expr *call, const char *src)
{
    const char *text = dictionary_attribute_arg(call) ? literal_text(&p->scratch, src, call->u.call.args.v[1]) : NULL;
    return text ? (Name){.s = text, .len = (uint32_t)strlen(text), .span = call->u.call.args.v[1]->span} : (Name){0};
}
