/* Source files: the text of one .mvd file, NUL-terminated, and the line
 * table that is built only when a diagnostic needs a line and column. */
#ifndef MVD_SOURCE_H
#define MVD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

typedef struct SourceFile {
    const char *path;   /* as the user named it, for diagnostics */
    const char *text;   /* text[len] == 0 */
    size_t len;
    uint32_t *lines;    /* offsets of line starts, built on demand */
    bool builtin;       /* part of the standard library */
    size_t mapped;      /* bytes mapped with mmap (0: text is in the arena) */
    int nlines;
} SourceFile;

/* Reads a whole file into the arena; NULL with errno set on failure. */
SourceFile *source_read(Arena *a, const char *path);
SourceFile *source_from_string(Arena *a, const char *path, const char *text, size_t len);

/* The offset of the first byte that is not valid UTF-8, or f->len. */
size_t source_invalid_utf8_at(const SourceFile *f);

/* Unmaps a file source_read mapped. */
void source_close(SourceFile *f);
/* 1-based line and byte column of an offset. */
void source_position(Arena *a, SourceFile *f, uint32_t off, int *line, int *col);
/* The line that holds an offset, without its newline. */
const char *source_line(Arena *a, SourceFile *f, uint32_t off, size_t *len);

#endif
