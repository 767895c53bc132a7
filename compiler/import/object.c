/* The objects of the state: made, found, replaced and dropped by name. A
 * name maps to a cell that holds the live object (NULL once dropped), so
 * that an object made again under a dropped name is a new one. */
#include <string.h>

#include "import/imp.h"

ImpObject *imp_new_object(Import *im, ImpKind kind, QName name, const Stmt *st)
{
    ImpObject *o = arena_zalloc(&im->arena, sizeof(*o));
    o->kind = (uint8_t)kind;
    o->name = name;
    o->key = imp_key(&im->arena, &name);
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

void imp_register(Import *im, ImpObject *o)
{
    ImpObject **cell = cell_of(im, o->key);
    if (*cell)
        (*cell)->dropped = true; /* CREATE OR REPLACE: the old one is gone */
    *cell = o;
    *LIST_PUSH(&im->arena, &im->all) = o;
    imp_add_database(im, o->name.db);
}

void imp_unregister(Import *im, ImpObject *o)
{
    ImpObject **cell = cell_of(im, o->key);
    if (*cell == o)
        *cell = NULL;
}

void imp_drop_object(Import *im, ImpObject *o)
{
    imp_unregister(im, o);
    o->dropped = true;
}

void imp_rename_object(Import *im, ImpObject *o, QName to)
{
    imp_unregister(im, o);
    o->name = to;
    o->key = imp_key(&im->arena, &to);
    *cell_of(im, o->key) = o;
    imp_add_database(im, to.db);
}
