/* nameindex: strings to numbers, for finding a plan object's live table,
 * registry entry or state among thousands without quadratic scans. */
#ifndef MVRUN_NAMEINDEX_H
#define MVRUN_NAMEINDEX_H

#include <stddef.h>

typedef struct NameIndex {
    char **keys;        /* owned copies; NULL: empty slot */
    size_t *values;
    size_t cap;         /* a power of two, or 0 */
    size_t n;
} NameIndex;

#define NAMEINDEX_INIT {NULL, NULL, 0, 0}

/* Sets key to value (replacing an earlier value). */
void nameindex_put(NameIndex *ix, const char *key, size_t value);
/* 1 and *value when key is present, else 0. */
int nameindex_get(const NameIndex *ix, const char *key, size_t *value);
void nameindex_free(NameIndex *ix);

#endif
