/* The standard library: .mvd declarations of ClickHouse's functions and
 * aggregates, embedded into mvdc at build time (build/gen/stdlib_data.c)
 * and parsed into every project before its own files. `--stdlib DIR`
 * reads them from a directory instead, for development. */
#ifndef MVD_LIBRARY_H
#define MVD_LIBRARY_H

#include <stddef.h>

typedef struct EmbeddedFile {
    const char *path;  /* relative to stdlib/ */
    const char *text;  /* NUL-terminated */
    size_t len;
} EmbeddedFile;

extern const EmbeddedFile stdlib_files[];

struct Project;
/* Loads the embedded library, or every .mvd under dir when dir is set.
 * Returns false (after printing why) when dir cannot be read. */
int library_load(struct Project *p, const char *dir);

#endif
