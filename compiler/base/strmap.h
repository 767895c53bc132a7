/* A hash map from byte strings to pointers, allocated in the arena. Keys
 * are not copied: they must outlive the map (they point into sources or
 * the arena). Used for the project's object table. */
#ifndef MVD_STRMAP_H
#define MVD_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

typedef struct StrMapSlot {
    const char *key;
    size_t len;
    uint64_t hash;
    void *value;
} StrMapSlot;

typedef struct StrMap {
    Arena *arena;
    StrMapSlot *slots;
    size_t cap; /* a power of two */
    size_t n;
} StrMap;

void strmap_init(StrMap *m, Arena *a);
/* Room for n keys in all: a map filled with a known number of keys is
 * allocated once, not grown by doubling (each old table stays behind in
 * the arena). */
void strmap_reserve(StrMap *m, size_t n);
void *strmap_get(const StrMap *m, const char *key, size_t len);
/* Inserts key -> value unless the key is present; returns the value now
 * stored under the key (the old one when it was present). */
void *strmap_put(StrMap *m, const char *key, size_t len, void *value);

#endif
