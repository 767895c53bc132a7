#include "check/scope.h"

#include <string.h>
#include <strings.h>

bool scope_relation_has(const Relation *r, Name col)
{
    if (!r->cols)
        return true;
    for (int i = 0; i < r->cols->n; i++)
        if (name_eq(r->cols->v[i].name, col))
            return true;
    return false;
}

/* `inf` and `nan` are numbers in ClickHouse, not names. */
static bool is_number_word(Name n)
{
    return (n.len == 3 && (strncasecmp(n.s, "inf", 3) == 0 || strncasecmp(n.s, "nan", 3) == 0)) ||
           (n.len == 8 && strncasecmp(n.s, "infinity", 8) == 0);
}

static bool has_plain_name(const Scope *sc, Name n)
{
    for (int i = sc->lambda.n - 1; i >= 0; i--)
        if (name_eq(sc->lambda.v[i], n))
            return true;
    for (int i = 0; i < sc->aliases.n; i++)
        if (name_eq(sc->aliases.v[i].name, n))
            return true;
    for (int i = 0; i < sc->rels.n; i++)
        if (scope_relation_has(&sc->rels.v[i], n))
            return true;
    return false;
}

/* The relation that `q` names: its alias, else its table name. */
static const Relation *find_relation(const Scope *sc, Name q)
{
    for (int i = 0; i < sc->rels.n; i++) {
        const Relation *r = &sc->rels.v[i];
        if ((r->alias.s && name_eq(r->alias, q)) || (r->table.s && name_eq(r->table, q)))
            return r;
    }
    return NULL;
}

static const Relation *find_qualified(const Scope *sc, Name db, Name table)
{
    for (int i = 0; i < sc->rels.n; i++) {
        const Relation *r = &sc->rels.v[i];
        if (r->db.s && name_eq(r->db, db) && r->table.s && name_eq(r->table, table))
            return r;
    }
    return NULL;
}

/* Whether column name n is parts joined with dots (`n.a` for n, a). */
static bool dotted_name_is(Name n, const NameList *parts, int from)
{
    size_t at = 0;
    for (int k = from; k < parts->n; k++) {
        Name part = parts->v[k];
        if (k > from) {
            if (at >= n.len || n.s[at] != '.')
                return false;
            at++;
        }
        if (at + part.len > n.len || memcmp(n.s + at, part.s, part.len) != 0)
            return false;
        at += part.len;
    }
    return at == n.len;
}

/* A column named with its dots, such as a flattened Nested `n.a`. */
static const OutColumn *dotted_column(const Scope *sc, const NameList *parts, int from)
{
    for (int i = 0; i < sc->rels.n; i++) {
        const OutColumnList *cols = sc->rels.v[i].cols;
        for (int c = 0; cols && c < cols->n; c++)
            if (dotted_name_is(cols->v[c].name, parts, from))
                return &cols->v[c];
    }
    return NULL;
}

static bool has_dotted_column(const Scope *sc, const NameList *parts)
{
    return dotted_column(sc, parts, 0) != NULL;
}

static Lookup lookup_here(const Scope *sc, const NameList *parts, const Relation **rel, int *bad)
{
    Name first = parts->v[0];
    if (parts->n == 1)
        return has_plain_name(sc, first) ? LOOKUP_FOUND : LOOKUP_UNKNOWN_COLUMN;
    /* db.table.column */
    if (parts->n >= 3) {
        const Relation *r = find_qualified(sc, first, parts->v[1]);
        if (r) {
            *rel = r;
            *bad = 2;
            return scope_relation_has(r, parts->v[2]) || dotted_column(sc, parts, 2) ? LOOKUP_FOUND
                                                                                     : LOOKUP_NO_SUCH_COLUMN;
        }
    }
    /* table.column (more parts: tuple or JSON access below it) */
    const Relation *r = find_relation(sc, first);
    if (r) {
        *rel = r;
        *bad = 1;
        if (scope_relation_has(r, parts->v[1]))
            return LOOKUP_FOUND;
        /* t.n.a: the relation's column `n.a` (a Nested field, as a server lists it) */
        return has_dotted_column(sc, parts) || dotted_column(sc, parts, 1) ? LOOKUP_FOUND : LOOKUP_NO_SUCH_COLUMN;
    }
    /* column.field: tuple elements, Nested, JSON and Map subcolumns */
    if (has_plain_name(sc, first) || has_dotted_column(sc, parts))
        return LOOKUP_FOUND;
    return LOOKUP_UNKNOWN_RELATION;
}

static bool has_opaque(const Scope *sc)
{
    for (int i = 0; i < sc->rels.n; i++)
        if (!sc->rels.v[i].cols)
            return true;
    return false;
}

Lookup scope_lookup(const Scope *sc, const NameList *parts, const Relation **rel, int *bad)
{
    if (parts->n == 1 && is_number_word(parts->v[0]))
        return LOOKUP_FOUND;
    Lookup first = LOOKUP_UNKNOWN_COLUMN;
    const Relation *first_rel = NULL;
    int first_bad = 0;
    /* Inner scopes first; a subquery may use what an outer query offers
     * (outer WITH aliases, correlated columns on new servers). */
    for (const Scope *s = sc; s; s = s->parent) {
        const Relation *r = NULL;
        int b = 0;
        Lookup l = lookup_here(s, parts, &r, &b);
        if (l == LOOKUP_FOUND)
            return l;
        if (parts->n == 1 && has_opaque(s))
            return LOOKUP_FOUND;
        if (s == sc) {
            first = l;
            first_rel = r;
            first_bad = b;
        }
    }
    *rel = first_rel;
    *bad = first_bad;
    return first;
}

static const OutColumn *relation_column(const Relation *r, Name col)
{
    for (int i = 0; r->cols && i < r->cols->n; i++)
        if (name_eq(r->cols->v[i].name, col))
            return &r->cols->v[i];
    return NULL;
}

static bool shadowed_here(const Scope *sc, Name n)
{
    for (int i = 0; i < sc->lambda.n; i++)
        if (name_eq(sc->lambda.v[i], n))
            return true;
    for (int i = 0; i < sc->aliases.n; i++)
        if (name_eq(sc->aliases.v[i].name, n))
            return true;
    return false;
}

static const OutColumn *find_column(const Scope *sc, const NameList *parts, bool aliases_shadow)
{
    for (; sc; sc = sc->parent) {
        if (parts->n == 1) {
            if (aliases_shadow && shadowed_here(sc, parts->v[0]))
                return NULL;
            for (int i = 0; i < sc->rels.n; i++) {
                const OutColumn *c = relation_column(&sc->rels.v[i], parts->v[0]);
                if (c)
                    return c;
            }
        } else if (parts->n == 2) {
            const Relation *r = find_relation(sc, parts->v[0]);
            if (r)
                return relation_column(r, parts->v[1]);
        }
    }
    return NULL;
}

static const Type *column_type(const Scope *sc, const NameList *parts, bool aliases_shadow)
{
    const OutColumn *c = find_column(sc, parts, aliases_shadow);
    return c ? c->type : NULL;
}

const OutColumn *scope_column(const Scope *sc, const NameList *parts)
{
    return find_column(sc, parts, true);
}

const Type *scope_column_type(const Scope *sc, const NameList *parts)
{
    return column_type(sc, parts, true);
}

const OutColumn *scope_source_column(const Scope *sc, const NameList *parts)
{
    return find_column(sc, parts, false);
}

const AliasDef *scope_find_alias(const Scope *sc, Name name)
{
    for (; sc; sc = sc->parent)
        for (int i = 0; i < sc->aliases.n; i++)
            if (name_eq(sc->aliases.v[i].name, name))
                return &sc->aliases.v[i];
    return NULL;
}

Cte *scope_find_cte(const Scope *sc, Name name)
{
    for (; sc; sc = sc->parent)
        for (int i = 0; i < sc->ctes.n; i++)
            if (name_eq(sc->ctes.v[i]->name, name))
                return sc->ctes.v[i];
    return NULL;
}

NameList scope_candidates(Arena *a, const Scope *sc)
{
    NameList out = {0};
    for (; sc; sc = sc->parent) {
        for (int i = 0; i < sc->lambda.n; i++)
            *LIST_PUSH(a, &out) = sc->lambda.v[i];
        for (int i = 0; i < sc->aliases.n; i++)
            *LIST_PUSH(a, &out) = sc->aliases.v[i].name;
        for (int i = 0; i < sc->rels.n; i++) {
            const OutColumnList *cols = sc->rels.v[i].cols;
            for (int c = 0; cols && c < cols->n; c++)
                *LIST_PUSH(a, &out) = cols->v[c].name;
        }
    }
    return out;
}

int scope_qualifier_parts(const Scope *sc, const NameList *parts)
{
    if (parts->n < 2)
        return 0;
    for (; sc; sc = sc->parent) {
        if (parts->n >= 3 && find_qualified(sc, parts->v[0], parts->v[1]))
            return 2;
        if (find_relation(sc, parts->v[0]))
            return 1;
        if (has_plain_name(sc, parts->v[0]) || has_dotted_column(sc, parts))
            return 0;
    }
    return 0;
}

const OutColumn *scope_dotted_column(const Scope *sc, const NameList *parts)
{
    int from = scope_qualifier_parts(sc, parts);
    for (; sc; sc = sc->parent) {
        const OutColumn *c = dotted_column(sc, parts, from);
        if (c)
            return c;
    }
    return NULL;
}
