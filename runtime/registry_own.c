/* registry_own: see registry_own.h. */
#include "registry_own.h"

#include "registry.h"

#include <string.h>

static const char *const objects_columns[] = {"kind", "qname", "state", "live_hash", "run", "updated"};

static const LiveColumn *find_column(const LiveObject *o, const char *name, size_t len)
{
    for (size_t i = 0; i < o->n_columns; i++)
        if (strlen(o->columns[i].name) == len && memcmp(o->columns[i].name, name, len) == 0)
            return &o->columns[i];
    return NULL;
}

/* Exactly the columns of registry_history_columns, names and types. */
static int history_columns_match(const LiveObject *o)
{
    size_t n = 0;
    for (const char *p = registry_history_columns; *p;) {
        const char *name = p, *space = strchr(p, ' ');
        const char *end = strchr(space, ',');
        if (!end)
            end = space + strlen(space);
        const LiveColumn *c = find_column(o, name, (size_t)(space - name));
        size_t type_len = (size_t)(end - space - 1);
        if (!c || strlen(c->type) != type_len || memcmp(c->type, space + 1, type_len) != 0)
            return 0;
        n++;
        p = *end ? end + 2 : end;
    }
    return n == o->n_columns;
}

static int history_engine_ok(const char *engine)
{
    return strcmp(engine, "MergeTree") == 0 || strcmp(engine, "ReplicatedMergeTree") == 0
           || registry_needs_migration(engine);
}

static int objects_match(const LiveObject *o)
{
    size_t n = sizeof objects_columns / sizeof objects_columns[0];
    if (strcmp(o->engine, "View") != 0 || o->n_columns != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!find_column(o, objects_columns[i], strlen(objects_columns[i])))
            return 0;
    return 1;
}

int registry_foreign(const LiveState *live, const char *db, StrBuf *why)
{
    PlanName history = {.db = (char *)db, .name = REGISTRY_HISTORY};
    PlanName objects = {.db = (char *)db, .name = REGISTRY_OBJECTS};
    const LiveObject *h = state_find_object(live, &history);
    const LiveObject *o = state_find_object(live, &objects);
    if (h && !(history_engine_ok(h->engine) && history_columns_match(h))) {
        strbuf_printf(why, "a %s `%s` whose columns or engine are not those of mvrun's history",
                      h->engine, REGISTRY_HISTORY);
        return 1;
    }
    if (o && !objects_match(o)) {
        strbuf_printf(why, "a %s `%s` that is not mvrun's view of its history", o->engine,
                      REGISTRY_OBJECTS);
        return 1;
    }
    return 0;
}
