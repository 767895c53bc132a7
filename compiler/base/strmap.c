#include "base/strmap.h"

#include <string.h>

/* FNV-1a: short keys, no adversary; good enough and deterministic. */
static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

void strmap_init(StrMap *m, Arena *a)
{
    memset(m, 0, sizeof(*m));
    m->arena = a;
}

static StrMapSlot *find(const StrMap *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        StrMapSlot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static void resize(StrMap *m, size_t cap)
{
    StrMapSlot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap = cap;
    m->slots = arena_zalloc(m->arena, sizeof(StrMapSlot) * m->cap);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
}

static void grow(StrMap *m)
{
    resize(m, m->cap ? m->cap * 2 : 64);
}

void strmap_reserve(StrMap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    while ((n + 1) * 2 > cap)
        cap *= 2;
    if (cap > m->cap)
        resize(m, cap);
}

void *strmap_get(const StrMap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    StrMapSlot *s = find(m, key, len, hash_bytes(key, len));
    return s->key ? s->value : NULL;
}

void *strmap_put(StrMap *m, const char *key, size_t len, void *value)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = hash_bytes(key, len);
    StrMapSlot *s = find(m, key, len, h);
    if (s->key)
        return s->value;
    *s = (StrMapSlot){key, len, h, value};
    m->n++;
    return value;
}
