/* The objects of the state: made, found, replaced and dropped by name. A
 * name maps to a cell that holds the live object (NULL once dropped), so
 * that an object made again under a dropped name is a new one. */
#include <string.h>

#include "import/imp.h"

ImpObject *object_new(Import *im, ImpKind kind, QName name, const Stmt *st)
{
    ImpObject *o = arena_zalloc(&im->arena, sizeof(*o));
    o->kind = (uint8_t)kind;
    o->name = name;
    o->key = object_key(&im->arena, &name);
    o->file = st->file;
    o->where = name.span.len ? name.span : st->span; /* diagnostics point at the name */
    o->seq = im->seq++;
    return o;
}

static ImpObject **cell_of(Import *im, const char *key)
{
    ImpObject **cell = strmap_get(&im->objects, key, strlen(key));
    if (!cell) {
        cell = arena_zalloc(&im->arena, sizeof(*cell));
        strmap_put(&im->objects, key, strlen(key), cell);
    }
    return cell;
}

void object_register(Import *im, ImpObject *o)
{
    ImpObject **cell = cell_of(im, o->key);
    if (*cell)
        (*cell)->dropped = true; /* CREATE OR REPLACE: the old one is gone */
    *cell = o;
    *LIST_PUSH(&im->arena, &im->all) = o;
    object_add_database(im, o->name.db);
}

void object_unregister(Import *im, ImpObject *o)
{
    ImpObject **cell = cell_of(im, o->key);
    if (*cell == o)
        *cell = NULL;
}

void object_drop(Import *im, ImpObject *o)
{
    object_unregister(im, o);
    o->dropped = true;
}

void object_rename(Import *im, ImpObject *o, QName to)
{
    object_unregister(im, o);
    o->name = to;
    o->key = object_key(&im->arena, &to);
    *cell_of(im, o->key) = o;
    object_add_database(im, to.db);
}

Name object_name(Arena *a, const char *s)
{
    size_t n = strlen(s);
    return (Name){.s = arena_strndup(a, s, n), .len = (uint32_t)n};
}

char *object_key(Arena *a, const QName *q)
{
    return arena_printf(a, "%.*s.%.*s", (int)q->db.len, q->db.s, (int)q->name.len, q->name.s);
}

QName object_qualify(Import *im, QName q)
{
    if (!q.db.s)
        q.db = object_name(&im->arena, im->default_db);
    return q;
}

ImpObject *object_find(Import *im, const QName *q)
{
    QName full = object_qualify(im, *q);
    char *key = object_key(&im->arena, &full);
    ImpObject **cell = strmap_get(&im->objects, key, strlen(key));
    return cell ? *cell : NULL;
}

void object_add_database(Import *im, Name db)
{
    for (int i = 0; i < im->databases.n; i++)
        if (strlen(im->databases.v[i]) == db.len && strncmp(im->databases.v[i], db.s, db.len) == 0)
            return;
    *LIST_PUSH(&im->arena, &im->databases) = arena_strndup(&im->arena, db.s, db.len);
}

bool imp_stored_like_merge_tree(const ImpObject *o)
{
    for (int i = 0; i < o->clauses.n; i++)
        if (o->clauses.v[i].c.kind == CL_ENGINE)
            return ast_engine_merge_tree(o->clauses.v[i].c.engine);
    return true;
}
