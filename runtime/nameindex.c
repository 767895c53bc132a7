/* nameindex: open addressing with linear probing, FNV-1a hashes. */
#include "nameindex.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t slot_of(const NameIndex *ix, const char *key)
{
    size_t i = (size_t)hash(key) & (ix->cap - 1);
    while (ix->keys[i] && strcmp(ix->keys[i], key) != 0)
        i = (i + 1) & (ix->cap - 1);
    return i;
}

static void grow(NameIndex *ix)
{
    NameIndex bigger = {NULL, NULL, ix->cap ? ix->cap * 2 : 64, 0};
    bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
    bigger.values = xcalloc(bigger.cap, sizeof *bigger.values);
    for (size_t i = 0; i < ix->cap; i++) {
        if (!ix->keys[i])
            continue;
        size_t j = slot_of(&bigger, ix->keys[i]);
        bigger.keys[j] = ix->keys[i];
        bigger.values[j] = ix->values[i];
        bigger.n++;
    }
    free(ix->keys);
    free(ix->values);
    *ix = bigger;
}

void nameindex_put(NameIndex *ix, const char *key, size_t value)
{
    if ((ix->n + 1) * 2 > ix->cap)
        grow(ix);
    size_t i = slot_of(ix, key);
    if (!ix->keys[i]) {
        ix->keys[i] = xstrdup(key);
        ix->n++;
    }
    ix->values[i] = value;
}

int nameindex_get(const NameIndex *ix, const char *key, size_t *value)
{
    if (ix->cap == 0)
        return 0;
    size_t i = slot_of(ix, key);
    if (!ix->keys[i])
        return 0;
    *value = ix->values[i];
    return 1;
}

void nameindex_free(NameIndex *ix)
{
    for (size_t i = 0; i < ix->cap; i++)
        free(ix->keys[i]);
    free(ix->keys);
    free(ix->values);
    memset(ix, 0, sizeof *ix);
}
